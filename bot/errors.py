"""One exception hierarchy, so callers can catch topicbot's failures without catching bugs."""

from __future__ import annotations


class TopicbotError(Exception):
    """Base of every error topicbot raises on purpose."""


class ConfigError(TopicbotError):
    """The configuration is invalid; `problems` has one line per problem (key path, line)."""

    def __init__(self, problems: list[str], path: str | None = None) -> None:
        self.problems = problems
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(where + "; ".join(problems))


class SourceError(TopicbotError):
    """One source (feed or folder) failed; the others carry on."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        """Pickled with both arguments (a parse in a worker process raises it here)."""
        return (type(self), (self.source, self.reason))


class FetchError(SourceError):
    """The HTTP fetch of a feed failed (network, status, size or time limit)."""


class ParseError(SourceError):
    """The fetched document is not a usable feed."""


class StoreError(TopicbotError):
    """The database cannot be opened or written."""


class ModelError(TopicbotError):
    """A classifier model cannot be loaded, or does not match the configuration."""
