"""The error of roleplay practice: what a coaching service refuses, said so that a person can act on it."""

from kizuna.ops.errors import ApplicationError


class CoachingError(ApplicationError):
    """A coaching operation that cannot be done; the message says, in the user's language, what to fix."""
