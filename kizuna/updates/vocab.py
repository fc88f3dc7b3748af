"""The xAPI terms of flash updates: our own "acknowledged" verb and "flash update" activity type."""

from kizuna.records.vocab import ADL_ACTIVITIES, EXPERIENCED, Term

ACKNOWLEDGED = Term("verbs/acknowledged", "確認した", "acknowledged", own=True)
TYPE_FLASH_UPDATE = Term("activity-types/flash-update", "速報", "flash update", own=True)

# Published terms used with them: opening an update is ADL "experienced"; the check question is an interaction.
TYPE_INTERACTION = Term(ADL_ACTIVITIES + "cmi.interaction", "設問", "interaction")

__all__ = ["ACKNOWLEDGED", "EXPERIENCED", "TYPE_FLASH_UPDATE", "TYPE_INTERACTION"]
