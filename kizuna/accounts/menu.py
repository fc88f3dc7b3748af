"""The menu moved to kizuna.orgs.menu; this name stays until accounts' menu view imports it from there."""

from kizuna.orgs.menu import menu_for

__all__ = ["menu_for"]
