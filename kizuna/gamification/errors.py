"""The error of gamification: bad input the user can fix."""

from kizuna.ops.errors import ApplicationError


class GamificationError(ApplicationError):
    """Bad input the user can fix; the message is safe to show."""
