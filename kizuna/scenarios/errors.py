"""The errors of scenarios: a refused change or play step, a file not in the exchange format, a refused image."""

from kizuna.ops.errors import ApplicationError

from .validation import GraphError


class ScenarioError(ApplicationError):
    """A change or a play step that cannot be made; ``errors`` lists every reason, in the user's language."""

    def __init__(self, errors: list[GraphError] | str) -> None:
        if isinstance(errors, str):
            errors = [GraphError("refused", errors)]
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class FormatError(ApplicationError):
    """A file or data that is not a scenario in the exchange format; ``errors`` lists every problem."""

    def __init__(self, errors: list[GraphError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class ImageError(ApplicationError):
    """An upload that is not an image we accept; the message says what to do."""
