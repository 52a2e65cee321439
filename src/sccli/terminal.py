"""How sccli writes to the terminal: decided once per run, handed to every command.

Part of the CLI layer. :class:`Terminal` is built from the global options and
the environment (passed in, never read here), as httpie builds its
``Environment``: colour, width, theme, plain mode, the pager, and the
one-line diagnostics on stderr all follow from it. The commands only say
what to print (:meth:`Terminal.emit`, :meth:`Terminal.print`).

Choices, following git, less and man:

* Rich on a terminal, plain text in a pipe; ``--plain`` (or ``TERM=dumb``)
  is a pipe's layout at the terminal's width: no boxes, rules or colour, for
  screen readers and simple terminals.
* The pager only on a terminal, when the output is taller than the window
  (or ``--pager``). It is ``SCCLI_PAGER``, else ``PAGER``, else ``less``;
  ``less`` gets ``LESS=FRX`` when ``LESS`` is not set (as git does: short
  output is not paged, and what was read stays on screen) and ``-R``; colour
  goes only to ``less``, the pager known to show it, and every other pager
  gets plain text. sccli waits for the pager whatever signals arrive: Ctrl-C
  is the pager's to handle (it ends a search, or nothing), as with git and
  man, so the terminal is left as the pager leaves it.
"""

from __future__ import annotations

import errno
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

#: The narrowest layout sccli renders; a narrower terminal wraps the lines itself.
MIN_WIDTH = 20

#: The widest layout sccli renders, whatever COLUMNS says (a rule is drawn across the whole width).
MAX_WIDTH = 1000


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class ThemeName(str, Enum):
    default = "default"
    light = "light"
    dark = "dark"


class Options:
    """What the global options say. (A plain class: a dataclass costs a millisecond of start-up.)"""

    __slots__ = ("color", "data", "debug", "libraries", "pager", "plain", "theme", "width")

    def __init__(
        self,
        data: str | None = None,  # a path; str, not pathlib, to keep start-up lean
        debug: bool = False,
        color: ColorMode = ColorMode.auto,
        width: int | None = None,
        theme: ThemeName = ThemeName.default,
        pager: bool | None = None,  # None: only when the output is taller than the terminal
        plain: bool = False,
        libraries: tuple[str, ...] = (),  # --library: read only these (none: every library)
    ) -> None:
        self.data = data
        self.libraries = libraries
        self.debug = debug
        self.color = color
        self.width = width
        self.theme = theme
        self.pager = pager
        self.plain = plain


class Terminal:
    """Where and how output goes for one run of sccli."""

    def __init__(
        self,
        options: Options | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.options = options or Options()
        self.environ: Mapping[str, str] = environ if environ is not None else {}
        self._stdout = stdout
        self._stderr = stderr
        self.plain = self.options.plain or self.environ.get("TERM") == "dumb"

    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout  # looked up late: tests and the CLI swap sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    # Consoles

    def console(self, stderr: bool = False, *, color: bool = True) -> Console:
        """A Rich console with the whole policy: colour, width, theme, plain mode.

        Colour follows ``--color``: auto means Rich's own rules (a terminal,
        unless NO_COLOR is set; FORCE_COLOR forces it); always and never
        override the environment. Width follows ``--width``, else the terminal
        or COLUMNS, and is never under :data:`MIN_WIDTH` nor over
        :data:`MAX_WIDTH`. ``color=False`` draws the same layout without colour
        (for a pager that cannot show it).
        """
        from rich.console import Console

        from sccli.theme import THEMES

        options: dict[str, Any] = {}
        if self.plain:
            import shutil

            options.update(force_terminal=False, color_system=None, no_color=True)
            if self.options.width is None and _isatty(self.stderr if stderr else self.stdout):
                options["width"] = shutil.get_terminal_size().columns
        elif self.options.color is ColorMode.always:
            options.update(force_terminal=True, no_color=False)
        elif self.options.color is ColorMode.never:
            options.update(color_system=None, no_color=True)
        if not color:
            options.update(color_system=None, no_color=True)
        if self.options.width is not None:
            options["width"] = self.options.width
        console = Console(
            file=self.stderr if stderr else self.stdout,
            theme=THEMES[self.options.theme.value],
            highlight=False,
            markup=False,
            emoji=False,
            **options,
        )
        # Rich's answer to a closed pipe is to exit with status 1; the CLI's is a quiet success
        # (Rich documents this hook as one for applications to override).
        console.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
        if console.width < MIN_WIDTH:  # COLUMNS=0 or 1: wrap at a width that can still show every word
            console.width = MIN_WIDTH
        elif console.width > MAX_WIDTH:  # COLUMNS=1000000000: rules and panels are drawn that wide
            console.width = MAX_WIDTH
        return console

    @property
    def styled(self) -> bool:
        """Whether stdout shows styles (a terminal, or forced), so that marks are worth making."""
        console = self.console()
        return console.is_terminal and console.color_system is not None

    # Output

    def emit(
        self,
        json: bool,
        document: Callable[[ModuleType], dict[str, Any]],
        view: Callable[[ModuleType], RenderableType],
    ) -> None:
        """Print ``document(sccli.serialize)`` as JSON, or ``view(sccli.render)`` as text.

        Each module is imported only when it is needed: JSON output never
        loads the renderers, and text never loads the serializers.
        """
        if json:
            from sccli import serialize

            self.print_json(document(serialize))
        else:
            from sccli import render

            self.print(view(render))

    def emit_rows(
        self,
        json: bool,
        document: Callable[[ModuleType], Iterable[str]],
        rows: Callable[[ModuleType], Iterable[RenderableType]],
    ) -> None:
        """:meth:`emit` for output that grows with the library (``list``): the JSON text's pieces
        (``document(sccli.serialize)``) or the rows (``rows(sccli.render)``) are written as they
        are made, so memory stays flat and ``sccli list | head`` ends at once."""
        if json:
            from sccli import serialize

            for piece in document(serialize):
                self.stdout.write(piece)
        else:
            from sccli import render

            self.stream(rows(render))

    def stream(self, rows: Iterable[RenderableType]) -> None:
        """Print rows as they are made: in a pipe, each at once; on a terminal, as git does, the
        first screenful is held, and output taller than the window goes to the pager as it is made."""
        console = self.console()
        pending = iter(rows)
        if self.options.pager is False or not _isatty(self.stdout):
            for row in pending:
                self.stdout.write(_capture(console, row, False))
            return
        held: list[RenderableType] = []
        texts: list[str] = []
        lines = 0
        for row in pending:
            held.append(row)
            texts.append(_capture(console, row, False))
            lines += texts[-1].count("\n")
            if self._wants_pager(lines, console.height):
                break
        else:
            self.stdout.write("".join(texts))
            return
        command = self._pager_command()
        if command is None:
            self.stdout.write("".join(texts))
            for row in pending:
                self.stdout.write(_capture(console, row, False))
            return
        if console.color_system is not None and not _shows_colour(command):
            console = self.console(color=False)
            texts = [_capture(console, row, False) for row in held]
        self._page(command, itertools.chain(texts, (_capture(console, row, False) for row in pending)))

    def print(self, renderable: RenderableType, *, soft_wrap: bool = False) -> None:
        """Print to stdout: Rich on a terminal (through the pager when it is long), plain text in a pipe.

        In a pipe, lines lose their trailing spaces. ``soft_wrap`` leaves long
        lines (messages with paths) to the terminal to wrap.
        """
        console = self.console()
        text = _capture(console, renderable, soft_wrap)
        if not self._wants_pager(text.count("\n"), console.height):
            self.stdout.write(text)
            return
        command = self._pager_command()
        if command is None:
            self.stdout.write(text)
            return
        if console.color_system is not None and not _shows_colour(command):
            text = _capture(self.console(color=False), renderable, soft_wrap)
        self._page(command, [text])

    def print_json(self, document: dict[str, Any]) -> None:
        from sccli.serialize import encode

        self.stdout.write(encode(document))

    def error(self, message: str) -> None:
        self._diagnostic("Error:", "sccli.error", message)

    def warn(self, message: str) -> None:
        self._diagnostic("Warning:", "sccli.warning", message)

    def inform(self, message: str) -> None:
        self._diagnostic("Note:", "sccli.meta", message)

    def report(self, label: str, message: str) -> None:
        """A line on stderr about what was done ("Wrote handout.html (html)."), beside the output."""
        self._diagnostic(label, "sccli.meta", message)

    def _diagnostic(self, label: str, style: str, message: str) -> None:
        """One line on stderr, ending with a full stop. Messages quote files and queries, so they
        are cleaned like data."""
        from rich.text import Text

        from sccli.sanitize import one_line

        line = one_line(message)
        if not line.endswith((".", "?", "!")):
            line += "."
        self.console(stderr=True).print(Text.assemble((label, style), " ", line), soft_wrap=True)

    @contextmanager
    def progress(self) -> Iterator[Callable[[int, int], None]]:
        """A progress callback (bytes read, bytes in the file) that shows a Rich bar on a
        terminal, for files big enough to take a while."""
        state: dict[str, Any] = {}

        def update(done: int, total: int) -> None:
            if "bar" not in state:
                # An animated bar only on a real terminal (never in a log, even with --color always),
                # asked before importing Rich: that import would cost a small build a quarter of its time.
                wanted = total >= 4 * 1024 * 1024 and _isatty(self.stderr) and not self.plain
                console = self.console(stderr=True) if wanted else None
                if console is None or not console.is_terminal:
                    state["bar"] = None
                else:
                    from rich.progress import Progress

                    state["bar"] = Progress(console=console, transient=True)
                    state["bar"].start()
                    state["task"] = state["bar"].add_task("Indexing articles", total=total)
            if state["bar"] is not None:
                state["bar"].update(state["task"], completed=done)

        try:
            yield update
        finally:
            if state.get("bar") is not None:
                state["bar"].stop()

    # The pager

    def _wants_pager(self, lines: int, height: int) -> bool:
        """Like git and bat: page only on a terminal, and then when asked or when taller than the window."""
        if self.options.pager is False or not _isatty(self.stdout):
            return False
        return self.options.pager is True or lines > height

    def _pager_command(self) -> list[str] | None:
        """The pager to run, as a command line; None for none (``cat``, or a setting that cannot be read)."""
        import shlex

        setting = "SCCLI_PAGER" if self.environ.get("SCCLI_PAGER") else "PAGER"
        try:
            command = shlex.split(self.environ.get(setting) or "less")
        except ValueError as error:  # an unclosed quote, a lone backslash
            self.warn(f"{setting} cannot be read ({error}); printing without a pager")
            return None
        if not command or os.path.basename(command[0]) == "cat":
            return None
        if _is_less(command) and not any(arg.startswith(("-R", "--RAW")) for arg in command[1:]):
            command.append("-R")  # keep the colour
        return command

    def _page(self, command: list[str], pieces: Iterable[str]) -> None:
        """Run the pager on the text (made piece by piece) and wait for it, whatever signals arrive;
        print instead if it cannot run. Once the reader quits, the rest is never made."""
        import signal
        import subprocess

        environment = dict(self.environ)
        if _is_less(command) and "LESS" not in environment:
            environment["LESS"] = "FRX"  # as git: quit if one screen, raw colour, leave the text on screen
        self.stdout.flush()
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, env=environment)
        except OSError:  # no such program, or it cannot run: print instead, with no error
            for piece in pieces:
                self.stdout.write(piece)
            return
        # Ctrl-C (and Ctrl-\) is the pager's: it stops less's search or does nothing. sccli ignores
        # them until the pager ends, so that it never exits under a pager that still owns the terminal.
        ignored = [signal.SIGINT] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])
        previous = {number: signal.signal(number, signal.SIG_IGN) for number in ignored}
        try:
            assert process.stdin is not None
            try:
                for piece in pieces:
                    process.stdin.write(piece.encode(encoding, "replace"))
                process.stdin.close()
            except OSError as error:  # the reader quit before reading everything (q)
                if error.errno not in (errno.EPIPE, errno.EINVAL):  # EINVAL: the same, on Windows
                    raise
            process.wait()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def _closed_pipe() -> None:
    raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")


def _capture(console: Console, renderable: RenderableType, soft_wrap: bool) -> str:
    with console.capture() as capture:
        console.print(renderable, soft_wrap=soft_wrap)
    text = capture.get()
    if not console.is_terminal:
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
    return text


def _is_less(command: list[str]) -> bool:
    return os.path.basename(command[0]) in ("less", "less.exe")


def _shows_colour(command: list[str]) -> bool:
    """Whether a pager is known to show colour codes rather than print them as text."""
    return _is_less(command)


def _isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (a closed or replaced stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
