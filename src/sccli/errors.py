"""Errors that sccli shows to its users, and the exit statuses they map to.

Every error a user can cause (a missing article, a broken data file, a search
with no hits) is a :class:`SccliError`. The CLI catches them at one boundary,
prints ``Error: <message>`` on stderr and exits with ``exit_code``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitStatus(IntEnum):
    """The exit statuses sccli documents in its README."""

    SUCCESS = 0
    ERROR = 1  # the thing asked for does not exist, nothing matched, bad data
    USAGE = 2  # a wrong option or argument (Typer's own usage errors)
    CTRL_C = 130


class SccliError(Exception):
    """Base class for errors that are shown to the user as one sentence.

    Messages quote untrusted text (file names, keys, queries), so they are
    made safe to print and kept to one line here, once.
    """

    exit_code: ClassVar[int] = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        from sccli.sanitize import one_line

        super().__init__(one_line(message))


class DataError(SccliError):
    """A data file is missing, unreadable, malformed or invalid."""


class NotFound(SccliError):
    """An article or a section that was asked for does not exist.

    Attributes:
        suggestions: close names the user may have meant, best first.
        hint: where to see every name, said when there is no suggestion.
    """

    def __init__(self, message: str, suggestions: list[str] | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.suggestions = suggestions or []
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        elif self.hint:
            message += " " + self.hint
        return message


class NoMatches(SccliError):
    """A search found nothing."""


class QuerySyntaxError(SccliError):
    """A ``--raw`` search expression is not valid FTS5 syntax: a usage error."""

    exit_code: ClassVar[int] = ExitStatus.USAGE
