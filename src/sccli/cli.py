"""The ``sccli`` command line: thin commands over the library, one error boundary.

Each command parses its arguments, makes one library call and one render
call, and prints. Modules that only some commands need (search, rendering,
JSON) are imported inside those commands, so start-up stays small.
"""

# No "from __future__ import annotations" here: Typer reads every command's
# annotations, and evaluating hundreds of string annotations cost ~10 ms of
# start-up. Names imported only for type checking are quoted instead.
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sccli import __version__
from sccli._click import ClickException, Context, UsageError, get_current_context
from sccli.errors import ExitStatus, SccliError

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from rich.console import Console, RenderableType

    from sccli.catalog import Catalog
    from sccli.search.cache import Built


_STARTED = time.perf_counter()

#: The most hits one search shows (--limit): a page of results, not a dump of the library.
MAX_LIMIT = 1000

#: The widest layout sccli renders, whatever COLUMNS says (a rule is drawn across the whole width).
MAX_WIDTH = 1000

#: The narrowest layout sccli renders; a narrower terminal wraps the lines itself.
MIN_WIDTH = 20


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class ThemeName(str, Enum):
    default = "default"
    light = "light"
    dark = "dark"


@dataclass
class _State:
    """What the global options say, for the commands (``ctx.obj``)."""

    data: str | None = None  # a path; str, not pathlib, to keep start-up lean
    debug: bool = False
    color: ColorMode = ColorMode.auto
    width: int | None = None
    theme: ThemeName = ThemeName.default
    pager: bool | None = None  # None: only when the output is taller than the terminal


class _Group(TyperGroup):
    """The single place where errors become one sentence and an exit status.

    Library errors (:class:`SccliError`) say what is wrong; Ctrl-C ends with
    status 130; a closed pipe ends quietly; anything else is a bug, shown as
    one sentence, or as a traceback with ``--debug``.
    """

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException, _DamagedCache):
            raise
        except BaseException as error:
            if _interrupted(error):
                raise typer.Exit(ExitStatus.CTRL_C) from None
            if isinstance(error, BrokenPipeError):
                _silence_stdout()
                raise typer.Exit(ExitStatus.SUCCESS) from None
            if _output_failed(error):
                raise typer.Exit(ExitStatus.ERROR) from None
            if isinstance(error, SccliError):
                _error(str(error))
                raise typer.Exit(error.exit_code) from None
            if not isinstance(error, Exception):
                raise
            data = ctx.obj.data if isinstance(ctx.obj, _State) else None
            if data is not None and _damage(error):
                raise _DamagedCache(data, error) from None
            if _debugging(ctx):
                raise
            _error(
                f"sccli hit a problem it did not expect ({type(error).__name__}: {error}). "
                "Run the command again with --debug to see the details, and please report it."
            )
            raise typer.Exit(ExitStatus.ERROR) from None
        finally:
            if _debugging(ctx):
                _console(stderr=True).print(
                    f"sccli: {' '.join(sys.argv[1:])} took {(time.perf_counter() - _STARTED) * 1000:.1f} ms "
                    "(since sccli.cli was imported)",
                    markup=False,
                    highlight=False,
                )


class _DamagedCache(Exception):
    """The index cache of ``data`` turned out to be damaged while a command read it."""

    def __init__(self, data: str, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.data = data


def _usage_error(error: ClickException) -> None:
    """``Error: <what is wrong>.`` and, for a usage error, the command whose help says how to fix it."""
    message = error.format_message().rstrip()
    _error(message if message.endswith((".", "?", "!")) else message + ".")
    if isinstance(error, UsageError) and error.ctx is not None:
        from sccli.sanitize import one_line

        sys.stderr.write(f"Try '{one_line(error.ctx.command_path)} --help' for help.\n")


def _output_failed(error: BaseException) -> bool:
    """Whether ``error`` is stdout failing (full, closed); if so, say so once, and stop writing to it."""
    streams = sys.modules.get("sccli._streams")
    if streams is None or not isinstance(error, streams.OutputError):
        return False
    _silence_stdout()
    _error(streams.describe(error))
    return True


def _damage(error: BaseException) -> bool:
    """Whether ``error`` says that a library database cannot be what sccli wrote."""
    sqlite3 = sys.modules.get("sqlite3")
    fts = sys.modules.get("sccli.search.fts")
    return (sqlite3 is not None and isinstance(error, sqlite3.DatabaseError)) or (
        fts is not None and isinstance(error, fts.DamagedIndex)
    )


app = typer.Typer(
    cls=_Group,
    name="sccli",
    help=(
        "Read about spinal cord stimulation (SCS) for painful neuropathy, offline.\n\n"
        "General information, not medical advice."
    ),
    epilog=(
        "Exit status: 0 success; 1 not found, no match or a bad data file; 2 usage error; 130 Ctrl-C.  "
        "Start with: sccli show"
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _complete_article(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the ids of the articles in the data in use."""
    catalog = _completion_catalog(ctx)
    return [article_id for article_id in catalog.ids() if article_id.startswith(incomplete)] if catalog else []


def _complete_section(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the section ids of the article already typed (or the first article)."""
    catalog = _completion_catalog(ctx)
    if catalog is None:
        return []
    try:
        # While an option's value is being completed, Click leaves the positional
        # article unparsed, in ctx.args.
        article = catalog.find(ctx.params.get("article") or next(iter(ctx.args), None))
    except SccliError:
        return []
    return [section.id for section in article.sections if section.id.startswith(incomplete)]


def _complete_term(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: glossary ids."""
    catalog = _completion_catalog(ctx)
    return [term.id for term in catalog.glossary() if term.id.startswith(incomplete)] if catalog else []


def _completion_catalog(ctx: typer.Context) -> "Catalog | None":
    """The library for completion: --data or SCCLI_DATA as typed so far; quiet about any problem."""
    try:
        return _open_catalog(ctx.find_root().params.get("data"), progress=False)
    except Exception:  # a shell asking for completions must never see an error
        return None


ArticleArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[ARTICLE]",
        help="Article id, the start of an id, or its title. Default: the first article.",
        show_default=False,
        autocompletion=_complete_article,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
NoNotesOption = Annotated[
    bool, typer.Option("--no-notes", help="Hide the editorial notes that say where the text overstates.")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sccli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="SCCLI_DATA",
            metavar="PATH",
            help="Read articles from this JSON file instead of the packaged library.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            help="Colour: auto (on a terminal, unless NO_COLOR is set), always, or never. Overrides the environment.",
        ),
    ] = ColorMode.auto,
    width: Annotated[
        int | None,
        typer.Option(
            "--width", min=MIN_WIDTH, max=MAX_WIDTH, metavar="N", help="Lay out for N columns.", show_default=False
        ),
    ] = None,
    theme: Annotated[
        ThemeName,
        typer.Option(
            "--theme", envvar="SCCLI_THEME", help="Colours for a light or a dark terminal; default: the terminal's own."
        ),
    ] = ThemeName.default,
    pager: Annotated[
        bool | None,
        typer.Option(
            "--pager/--no-pager",
            help=(
                "Page long output (SCCLI_PAGER, PAGER or less -R). Default: on a terminal, when taller than the window."
            ),
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="SCCLI_DEBUG", help="On an unexpected error, show the traceback; show timings."),
    ] = False,
) -> None:
    ctx.obj = _State(data, debug, color, width, theme, pager)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@app.command()
def show(
    ctx: typer.Context,
    article: ArticleArg = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section",
            "-s",
            help="Show only this section (id, start of an id, or heading).",
            show_default=False,
            autocompletion=_complete_section,
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="After each section, define the medical words it uses.")
    ] = False,
    no_notes: NoNotesOption = False,
    json: JsonOption = False,
) -> None:
    """Show an article: summary, sections with editorial notes, related articles and sources.

    The header gives the sources, the review date, the reading time and the
    reading grade. On a terminal, medical words from the glossary are
    underlined where an article first uses them; [b]--explain[/b] defines them.

    [b]Examples[/b]

      sccli show
      sccli show living-with-a-stimulator --explain
      sccli show painful --section first-treatments
      sccli show --no-notes
      sccli show --json | jq .article.title
    """
    import datetime

    from sccli.lookup import find_section

    catalog = _catalog(ctx)
    found = catalog.find(article)
    part = find_section(found, section) if section is not None else None
    related = catalog.related(found)
    glossary = catalog.glossary()
    today = datetime.date.today()
    if json:
        from sccli.serialize import article_doc

        document = article_doc(
            found, related, part, notes=not no_notes, glossary=glossary if explain else None, today=today
        )
        return _print_json(document)
    from sccli.render import ArticleOptions, render_article

    marks = explain or _styled()  # first uses are only marked where a style can show them
    options = ArticleOptions(notes=not no_notes, glossary=glossary if marks else (), explain=explain, today=today)
    _print(render_article(found, related, section=part, options=options))


@app.command()
def risks(
    ctx: typer.Context, article: ArticleArg = None, no_notes: NoNotesOption = False, json: JsonOption = False
) -> None:
    """Show only an article's list of risks.

    [b]Examples[/b]

      sccli risks
      sccli risks scs-for-neuropathy --json
    """
    _show_list(ctx, article, "risks", json, notes=not no_notes)


@app.command()
def benefits(
    ctx: typer.Context, article: ArticleArg = None, no_notes: NoNotesOption = False, json: JsonOption = False
) -> None:
    """Show only an article's list of benefits.

    [b]Examples[/b]

      sccli benefits
      sccli benefits scs-for-neuropathy --json
    """
    _show_list(ctx, article, "benefits", json, notes=not no_notes)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY...", help='Words to look for; "quote" a phrase.', show_default=False)
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="Show at most this many sections.")
    ] = 10,
    article: Annotated[
        str | None,
        typer.Option(
            "--article",
            "-a",
            help="Search only inside this article.",
            show_default=False,
            autocompletion=_complete_article,
        ),
    ] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="Read the query as SQLite FTS5 syntax (AND, OR, NOT, NEAR, prefix*).")
    ] = False,
    exact: Annotated[bool, typer.Option("--exact", help="Search the words as typed: no spelling correction.")] = False,
    json: JsonOption = False,
) -> None:
    """Search every article; show the matching sections, best first.

    Word forms meet ("neuropathic" finds "neuropathy"), and words that mean
    the same do too ("SCS" finds "spinal cord stimulation", "pins and
    needles" finds "paresthesia", "Lyrica" finds "pregabalin"). A word the
    library does not have is read as the closest word it has, and a line on
    stderr says so ("nueropathy" finds "neuropathy"); --exact turns that
    off. Exits with status 1 when nothing matches, and suggests words spelt alike.

    [b]Examples[/b]

      sccli search neuropathy
      sccli search nerve pain --limit 3
      sccli search '"lead movement"'
      sccli search infection --article living-with-a-stimulator --json
      sccli search --raw 'infect* NOT surgery'
    """
    from sccli.errors import NoMatches
    from sccli.sanitize import clean_text

    catalog = _catalog(ctx)
    text = clean_text(" ".join(query))
    within = catalog.find(article).id if article is not None else None
    index = catalog.index
    if getattr(index, "engine", "") == "scan":
        _warn("this Python's SQLite has no FTS5; searching with a simple scan instead.")
    corrected = None if raw or exact else index.correct(text)
    hits = index.search(corrected, limit=limit, article=within) if corrected else []
    if hits:
        _inform(f"No match for '{text}'; showing results for '{corrected}'.")
    else:
        corrected = None
        hits = index.search(text, limit=limit, article=within, raw=raw)
    suggestions = [] if hits or raw else index.suggest(text)
    if json:
        from sccli.serialize import results_doc

        _print_json(results_doc(text, hits, suggestions, corrected=corrected))
    elif hits:
        from sccli.render import render_results

        _print(render_results(corrected or text, hits))
    if not hits:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else " Try fewer or other words."
        raise NoMatches(f"Nothing matches '{text}'.{hint}")


@app.command(name="list")
def list_(ctx: typer.Context, json: JsonOption = False) -> None:
    """List the articles: the ids that other commands accept, and titles.

    [b]Examples[/b]

      sccli list
      sccli list --json
    """
    articles = list(_catalog(ctx).articles())
    if json:
        from sccli.serialize import articles_doc

        return _print_json(articles_doc(articles))
    from sccli.render import render_articles

    _print(render_articles(articles))


@app.command()
def sections(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """List an article's sections, with the ids that [b]show --section[/b] accepts.

    [b]Examples[/b]

      sccli sections
      sccli sections living-with-a-stimulator
    """
    found = _catalog(ctx).find(article)
    if json:
        from sccli.serialize import sections_doc

        return _print_json(sections_doc(found))
    from sccli.render import render_sections

    _print(render_sections(found))


@app.command()
def related(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """List the articles related to an article, to read next.

    [b]Examples[/b]

      sccli related
      sccli related painful-diabetic-neuropathy --json
    """
    catalog = _catalog(ctx)
    found = catalog.find(article)
    linked = catalog.related(found)
    if json:
        from sccli.serialize import related_doc

        return _print_json(related_doc(found, linked))
    from sccli.render import render_related

    _print(render_related(found, linked))


@app.command()
def define(
    ctx: typer.Context,
    term: Annotated[
        str | None,
        typer.Argument(
            metavar="[TERM]",
            help="A word from the glossary, or one of its other spellings.",
            show_default=False,
            autocompletion=_complete_term,
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Explain a medical word in plain language; without one, list the glossary.

    [b]Examples[/b]

      sccli define
      sccli define paresthesia
      sccli define "dorsal root ganglion" --json
    """
    glossary = _catalog(ctx).glossary()
    if term is None:
        if json:
            from sccli.serialize import glossary_doc

            return _print_json(glossary_doc(glossary))
        from sccli.render import render_glossary

        return _print(render_glossary(glossary))
    from sccli.lookup import find_term

    found = find_term(glossary, term)
    if json:
        from sccli.serialize import term_doc

        return _print_json(term_doc(found))
    from sccli.render import render_term

    _print(render_term(found))


class ExportFormat(str, Enum):
    markdown = "markdown"
    html = "html"
    text = "text"


@app.command()
def export(
    ctx: typer.Context,
    article: ArticleArg = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="markdown, html (one self-contained page) or text.")
    ] = ExportFormat.markdown,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout (- for stdout).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    no_notes: NoNotesOption = False,
) -> None:
    """Export an article to share it with your doctor: sources, review date, notes and all.

    The file is written whole or not at all, and an existing file is kept
    unless you add [b]--force[/b].

    [b]Examples[/b]

      sccli export questions-for-your-doctor --format html -o questions.html
      sccli export living --format markdown > living.md
      sccli export --format text -o seed.txt --force
    """
    import datetime

    from sccli import export as exporting

    catalog = _catalog(ctx)
    found = catalog.find(article)
    related = catalog.related(found)
    today = datetime.date.today()
    if format is ExportFormat.markdown:
        content = exporting.to_markdown(found, related, notes=not no_notes, today=today)
    elif format is ExportFormat.html:
        content = exporting.to_html(found, related, notes=not no_notes, today=today)
    else:
        from sccli.render import ArticleOptions, render_article

        view = render_article(found, related, options=ArticleOptions(notes=not no_notes, today=today))
        content = exporting.to_text(view, _settings().width or exporting.WIDTH)
    if output is None or output == "-":
        sys.stdout.write(content)
        return
    from pathlib import Path

    from sccli.data import packaged_data_path

    protected = [Path(packaged_data_path())] + ([Path(ctx.obj.data)] if ctx.obj.data is not None else [])
    exporting.write_atomically(output, content, force=force, protected=protected)
    _diagnostic("Wrote", "sccli.meta", f"{output} ({format.value}).")


@app.command()
def index(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the index even if it is up to date.")] = False,
    json: JsonOption = False,
) -> None:
    """Build the search index of your data file (--data or SCCLI_DATA) and say what it holds.

    sccli builds it by itself when the file is new or has changed; this
    command does it now, with a progress bar on a terminal. The packaged
    library needs no index file: it is indexed in memory on each run.

    [b]Examples[/b]

      sccli --data my-articles.json index
      SCCLI_DATA=my-articles.json sccli index --rebuild
    """
    data = ctx.obj.data
    if data is None:
        report: dict[str, str | bool | int | float | None] = {
            "data": None,
            "cache": None,
            "built": False,
            "articles": _catalog(ctx).count(),
            "seconds": 0.0,
        }
        message = "The packaged library is indexed in memory on each run; there is no index file to build."
    else:
        from sccli.catalog import DatabaseCatalog
        from sccli.sanitize import clean_text

        conn, built = _open_index(data, rebuild=rebuild)
        count = DatabaseCatalog(conn).count()
        location = built.location if built else str(_cache_file(data))
        report = {
            "data": clean_text(str(data)),  # a path is untrusted text, like a data file's
            "cache": clean_text(location),
            "built": built is not None,
            "articles": count,
            "seconds": round(built.seconds, 3) if built else 0.0,
        }
        articles = f"{count} article" + ("" if count == 1 else "s")
        if built is None:
            message = f"The index of {data} is up to date ({articles}): {location}"
        else:
            where = "in memory (the cache folder cannot be used)" if location == "memory" else f"into {location}"
            message = f"Indexed {articles} from {data} {where} in {built.seconds:.2f} s."
    if json:
        return _print_json(report)
    from rich.text import Text

    from sccli.sanitize import one_line

    _print(Text(one_line(message)), soft_wrap=True)


def main() -> None:
    """The ``sccli`` entry point: the app, made safe for odd terminals and pipes.

    It ends with ``os._exit`` once the output is flushed: tearing down the
    interpreter (collecting every module and object) cost ~15 ms, more than a
    tenth of ``sccli show``, and sccli leaves nothing that needs it (files it
    writes are closed and renamed, its database connections only read).
    """
    from sccli import _streams

    _streams.install()  # a full or closed stdout is one line and status 1 (and "?" for what cannot be shown)
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="replace")
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with Ctrl-C ignored
        signal.signal(signal.SIGINT, _on_ctrl_c)
    code = _run()
    if isinstance(code, str):  # sys.exit("message"), as Python itself would show it
        sys.stderr.write(code + "\n")
        code = ExitStatus.ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except _streams.OutputError as error:
        _silence_stdout()
        _error(_streams.describe(error))
        code = code or ExitStatus.ERROR
    except (ValueError, OSError):
        _silence_stdout()
    with contextlib.suppress(ValueError, OSError, AttributeError):
        sys.stderr.flush()
    os._exit(int(code or 0))


def _run() -> Any:
    """Run the app and return its exit status; a damaged index cache is rebuilt and the command run again."""
    from typer.main import get_command

    command = get_command(app)
    damaged: str | None = None
    while True:
        try:
            # Not standalone: Click's own error display is a box of five lines; sccli's is one.
            result = command.main(standalone_mode=False)
            return result if isinstance(result, int) else 0  # an exit status, or a command's None
        except SystemExit as done:
            return done.code
        except ClickException as error:
            _usage_error(error)
            return error.exit_code
        except _DamagedCache as error:
            if damaged == error.data:  # damaged again, right after it was rebuilt
                _error(f"the index of {error.data} cannot be read even after rebuilding it ({error}).")
                return ExitStatus.ERROR
            damaged = error.data
            _warn(f"the index of {error.data} was damaged; rebuilding it")
            with contextlib.suppress(OSError):
                _cache_file(error.data).unlink()
        except BaseException as error:
            if _interrupted(error):  # while starting up, before a command runs
                return ExitStatus.CTRL_C
            if isinstance(error, BrokenPipeError):
                _silence_stdout()
                return ExitStatus.SUCCESS
            if _output_failed(error):  # --help or --version into a full or closed stdout
                return ExitStatus.ERROR
            raise


#: Set by the Ctrl-C handler: SQLite turns a KeyboardInterrupt raised while it works
#: (see sccli.search.fts.interruptible) into an error of its own.
_ctrl_c = threading.Event()


def _on_ctrl_c(signum: int, frame: Any) -> None:
    _ctrl_c.set()
    raise KeyboardInterrupt


def _interrupted(error: BaseException) -> bool:
    """Whether ``error`` is a Ctrl-C, or what became of one. Python 3.10 and 3.11 wrap one that lands
    while a class is being created (in ``__set_name__``, as a module is imported) in a RuntimeError."""
    return (
        _ctrl_c.is_set()
        or isinstance(error, KeyboardInterrupt)
        or (isinstance(error, RuntimeError) and isinstance(error.__cause__, KeyboardInterrupt))
    )


def _silence_stdout() -> None:
    """After a reader closed the pipe, or stdout failed, drop what is left so that exiting stays quiet."""
    streams = sys.modules.get("sccli._streams")
    if streams is not None and streams.discard():
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _debugging(ctx: Context) -> bool:
    return isinstance(ctx.obj, _State) and ctx.obj.debug


# Helpers shared by the commands.


def _show_list(ctx: typer.Context, article: str | None, section_id: str, json: bool, *, notes: bool) -> None:
    from sccli.lookup import find_list

    catalog = _catalog(ctx)
    found = catalog.find(article)
    section, block = find_list(found, section_id, catalog.articles())
    if json:
        from sccli.serialize import list_doc

        return _print_json(list_doc(found, section, block, notes=notes))
    from sccli.render import ArticleOptions, render_list

    _print(render_list(found, section, block, options=ArticleOptions(notes=notes)))


def _catalog(ctx: typer.Context) -> "Catalog":
    """The library in use, as :func:`_open_catalog` opens it, after warning once of its problems."""
    catalog = _open_catalog(ctx.obj.data)
    for problem in catalog.problems:
        _warn(problem)
    return catalog


def _open_catalog(data: str | None, *, progress: bool = True) -> "Catalog":
    """The packaged library in memory, or --data/SCCLI_DATA through its cached index
    (in memory, with the scan engine, when SQLite lacks FTS5)."""
    if data is not None:
        from sccli.search.fts import fts5_available

        if fts5_available():
            from sccli.catalog import DatabaseCatalog

            return DatabaseCatalog(_open_index(data, progress=progress)[0])
    from sccli.catalog import LibraryCatalog
    from sccli.data import load_library

    return LibraryCatalog(load_library(data))


def _open_index(
    data: str, *, rebuild: bool = False, progress: bool = True
) -> "tuple[sqlite3.Connection, Built | None]":
    from pathlib import Path

    from sccli.search.cache import open_index

    if not progress:  # a shell completing a word has no room for a progress bar
        return open_index(Path(data), _cache_dir(), rebuild=rebuild)
    with _build_progress() as report:
        return open_index(Path(data), _cache_dir(), rebuild=rebuild, progress=report)


def _cache_dir() -> "Path":
    """The user cache directory: XDG_CACHE_HOME, else the platform's default."""
    import platformdirs

    return platformdirs.user_cache_path("sccli", appauthor=False)


def _cache_file(data: str) -> "Path":
    from pathlib import Path

    from sccli.search.cache import cache_path

    return cache_path(_cache_dir(), Path(data))


@contextmanager
def _build_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress callback (bytes read, bytes in the file) that shows a Rich bar on a
    terminal, for files big enough to take a while."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            # An animated bar only on a real terminal (never in a log, even with --color always),
            # asked before importing Rich: that import would cost a small build a quarter of its time.
            wanted = total >= 4 * 1024 * 1024 and _isatty(sys.stderr)
            console = _console(stderr=True) if wanted else None
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


def _settings() -> _State:
    """The global options of the command being run (defaults outside one, as in completion)."""
    ctx = get_current_context(silent=True)
    state = ctx.find_root().obj if ctx is not None else None
    return state if isinstance(state, _State) else _State()


def _console(stderr: bool = False, *, settings: "_State | None" = None) -> "Console":
    """The console, with sccli's whole TTY policy in one place.

    Colour follows ``--color``: auto means Rich's own rules (a terminal, unless
    NO_COLOR is set; FORCE_COLOR forces it); always and never override the
    environment. Width follows ``--width``, else the terminal or COLUMNS, and
    is never under :data:`MIN_WIDTH` nor over :data:`MAX_WIDTH`. Rich also honours TERM.
    """
    from rich.console import Console

    from sccli.theme import THEMES

    settings = settings or _settings()
    options: dict[str, Any] = {}
    if settings.color is ColorMode.always:
        options.update(force_terminal=True, no_color=False)
    elif settings.color is ColorMode.never:
        options.update(color_system=None, no_color=True)
    if settings.width is not None:
        options["width"] = settings.width
    console = Console(
        theme=THEMES[settings.theme.value], stderr=stderr, highlight=False, markup=False, emoji=False, **options
    )
    if console.width < MIN_WIDTH:  # COLUMNS=0 or 1: wrap at a width that can still show every word
        console.width = MIN_WIDTH
    elif console.width > MAX_WIDTH:  # COLUMNS=1000000000: rules and panels are drawn that wide
        console.width = MAX_WIDTH
    return console


def _print(renderable: "RenderableType", *, soft_wrap: bool = False) -> None:
    """Print to stdout: Rich on a terminal (through the pager when it is long), plain text in a pipe.

    In a pipe, lines lose their trailing spaces. ``soft_wrap`` leaves long
    lines (messages with paths) to the terminal to wrap.
    """
    settings = _settings()
    console = _console(settings=settings)
    with console.capture() as capture:
        console.print(renderable, soft_wrap=soft_wrap)
    text = capture.get()
    if not console.is_terminal:
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
    if _wants_pager(settings, text.count("\n"), console.height):
        _page(text)
    else:
        sys.stdout.write(text)


def _styled() -> bool:
    """Whether stdout shows styles (a terminal, or forced), so that marks are worth making."""
    console = _console()
    return console.is_terminal and console.color_system is not None


def _wants_pager(settings: _State, lines: int, height: int) -> bool:
    """Like git and bat: page only on a terminal, and then when asked or when taller than the window."""
    if settings.pager is False or not _stdout_is_terminal():
        return False
    return settings.pager is True or lines > height


def _stdout_is_terminal() -> bool:
    return _isatty(sys.stdout)


def _isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (a closed or replaced stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _page(text: str) -> None:
    """Send ``text`` through the pager; a pager that cannot run means printing it as it is."""
    import shlex
    import subprocess

    setting = "SCCLI_PAGER" if os.environ.get("SCCLI_PAGER") else "PAGER"
    try:
        command = shlex.split(os.environ.get(setting) or "less -R")
    except ValueError as error:  # an unclosed quote, a lone backslash
        _warn(f"{setting} cannot be read ({error}); printing without a pager")
        command = []
    if not command or command[0] == "cat":
        sys.stdout.write(text)
        return
    if os.path.basename(command[0]) == "less" and not any(arg.startswith(("-R", "--RAW")) for arg in command[1:]):
        command.append("-R")  # keep the colour
    sys.stdout.flush()
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        subprocess.run(command, input=text.encode(encoding, "replace"), check=False)
    except OSError:  # no such program, or it cannot run: print instead, with no error
        sys.stdout.write(text)


def _print_json(document: dict[str, Any]) -> None:
    from sccli.serialize import encode

    sys.stdout.write(encode(document))


def _error(message: str) -> None:
    _diagnostic("Error:", "sccli.error", message)


def _warn(message: str) -> None:
    _diagnostic("Warning:", "sccli.warning", message)


def _inform(message: str) -> None:
    _diagnostic("Note:", "sccli.meta", message)


def _diagnostic(label: str, style: str, message: str) -> None:
    """One line on stderr. Messages quote files and queries, so they are cleaned like data."""
    from rich.text import Text

    from sccli.sanitize import one_line

    _console(stderr=True).print(Text.assemble((label, style), " ", one_line(message)), soft_wrap=True)
