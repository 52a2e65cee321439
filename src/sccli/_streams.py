"""Standard output that says plainly when it cannot be written (part of the CLI layer).

``sccli show > /dev/full`` or ``sccli show 1<&-`` must end with one line and
status 1, not a traceback or a silent success. Python reports both as a bare
``OSError`` from wherever the write happened (Rich, Click's ``--help``, the
final flush), which cannot be told apart from any other ``OSError``. Here
standard output is a ``TextIOWrapper`` like any other, over a raw writer that
raises :class:`OutputError` instead, so the CLI knows exactly what failed.
A reader that closes the pipe early (``sccli show | head``) is still a
``BrokenPipeError``: that is a normal end, not an error.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any


class OutputError(OSError):
    """Standard output cannot be written: full, closed, or an I/O error."""


class _Output(io.RawIOBase):
    """File descriptor ``fd``, written with ``os.write``; ``None`` when stdout was closed at start."""

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd
        self.discarding = False  # once output has failed or the reader has gone: drop the rest

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self._fd

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(memoryview(data))
        if self._fd is None:
            raise OutputError(errno.EBADF, "standard output is closed")
        try:
            return os.write(self._fd, data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.errno, error.strerror or str(error)) from None


def install() -> None:
    """Make ``sys.stdout`` raise :class:`OutputError` when it cannot be written.

    When stdout was closed before sccli started, file descriptor 1 is taken
    by ``/dev/null``, so that no file sccli opens later can land on it and
    receive output meant for the terminal.
    """
    if sys.stderr is None:  # started with stderr closed: diagnostics go nowhere, never into stdout
        while os.open(os.devnull, os.O_WRONLY) < 2:  # keep descriptors 0 to 2 from files sccli opens
            pass
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (it stays open until the process ends)
    current = sys.stdout
    if sys.platform == "win32" and current is not None and current.isatty():
        return  # the Windows console needs Python's own console writer to show non-ASCII text
    if current is None:
        while os.open(os.devnull, os.O_WRONLY) < 1:  # the lowest free descriptor, until 1 is taken
            pass
        fd: int | None = None
        encoding, line_buffering = "utf-8", False
    else:
        try:
            fd = current.fileno()
        except (OSError, ValueError):
            return  # not a real file (an embedding program's stream): leave it alone
        encoding, line_buffering = current.encoding or "utf-8", bool(getattr(current, "line_buffering", False))
        current.flush()
    raw = _Output(fd)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=encoding,
        errors="replace",  # LANG=C, PYTHONIOENCODING=ascii: "?" for what cannot be shown
        line_buffering=line_buffering or raw.isatty(),
    )


def discard() -> bool:
    """Drop whatever is still to be written to stdout (so that exiting stays quiet); False when
    stdout is not the one :func:`install` made."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    if not isinstance(raw, _Output):
        return False
    raw.discarding = True
    return True


def describe(error: OutputError) -> str:
    """The one sentence that says why output failed."""
    return f"cannot write the output ({error.strerror or 'standard output is closed'})."
