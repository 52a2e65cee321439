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
import time
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sccli import __version__
from sccli._click import ClickException, Context, ParameterSource, UsageError, get_current_context
from sccli.errors import ExitStatus, SccliError
from sccli.terminal import MAX_WIDTH, MIN_WIDTH, ColorMode, Options, Terminal, ThemeName

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from sccli.catalog import Catalog
    from sccli.libraries import Shelf, Shelves
    from sccli.search.cache import Built


_STARTED = time.perf_counter()

#: The most hits one search shows (--limit): a page of results, not a dump of the library.
MAX_LIMIT = 1000

#: How many matching sections a search counts for its "Showing 10 of N" line, at most.
COUNTED = 10_000


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
            if _in_use and _damage(error):
                raise _DamagedCache(_in_use[-1], error) from None
            if _debugging(ctx):
                raise
            _error(
                f"sccli hit a problem it did not expect ({type(error).__name__}: {error}). "
                "Run the command again with --debug to see the details, and please report it."
            )
            raise typer.Exit(ExitStatus.ERROR) from None
        finally:
            if _debugging(ctx):
                _terminal(ctx).console(stderr=True).print(
                    f"sccli: {' '.join(sys.argv[1:])} took {(time.perf_counter() - _STARTED) * 1000:.1f} ms "
                    "(since sccli.cli was imported)",
                    markup=False,
                    highlight=False,
                )


class _DamagedCache(Exception):
    """The index cache of ``data`` (a data file, or LIBRARIES) was found damaged while a command read it."""

    def __init__(self, data: str, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.data = data


#: Global options, which may also come after the command ("sccli show living --no-pager").
_GLOBAL_FLAGS = frozenset({"--debug", "--plain", "--pager", "--no-pager"})
_GLOBAL_VALUES = frozenset({"--color", "--width", "--theme", "--data", "--library"})


def _hoisted(args: list[str], commands: set[str]) -> list[str]:
    """``args`` with the global options found after the command moved before it, so Click reads them.

    Only the first command's own arguments are searched, and never past ``--``;
    a value is taken with its option (``--color never``, ``--color=never``).
    """
    position = 0
    while position < len(args) and args[position] not in commands:
        if args[position] == "--":
            return args
        position += 2 if args[position] in _GLOBAL_VALUES else 1
    if position >= len(args):
        return args
    moved: list[str] = []
    rest: list[str] = []
    tail = iter(args[position + 1 :])
    for arg in tail:
        if arg == "--":
            rest += [arg, *tail]
            break
        name = arg.split("=", 1)[0]
        if arg in _GLOBAL_FLAGS:
            moved.append(arg)
        elif name in _GLOBAL_VALUES:
            value = [] if "=" in arg else [next(tail, None)]
            if None in value:  # no value after it: left where it is, for Click to say so
                rest.append(arg)
            else:
                moved += [arg, *value]  # type: ignore[list-item]
        else:
            rest.append(arg)
    return [*args[:position], *moved, args[position], *rest]


def _usage_error(error: ClickException) -> None:
    """``Error: <what is wrong>.`` and, for a usage error, the command whose help says how to fix it."""
    _error(error.format_message().rstrip())  # the diagnostic ends it with a full stop
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
    store = sys.modules.get("sccli.search.store")
    # A corrupt or non-database file is a plain DatabaseError (SQLITE_CORRUPT, SQLITE_NOTADB);
    # its subclasses (locked, I/O, programming errors) are not damage.
    return (sqlite3 is not None and type(error) is sqlite3.DatabaseError) or (
        store is not None and isinstance(error, store.DamagedIndex)
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
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _complete_article(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the ids of the articles in the data in use."""
    catalog = _completion_catalog(ctx)
    if catalog is None:
        return []
    ids = catalog.ids()
    if "/" in incomplete:
        ids += catalog.qualified_ids()
    else:  # under --library every id is NAME/ID, and its ID alone names it when no other has that ID
        from collections import Counter

        local = Counter(article_id.partition("/")[2] for article_id in ids if "/" in article_id)
        ids += [name for name, count in local.items() if count == 1]
    return [article_id for article_id in dict.fromkeys(ids) if article_id.startswith(incomplete)]


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


def _complete_words(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for a search: the glossary's words, never file names.

    With no glossary word to offer, the word as typed is offered: an empty answer
    would make bash fall back to file names (Typer's script asks for that, for
    ``--data`` and ``export -o``).
    """
    catalog = _completion_catalog(ctx)
    folded = incomplete.casefold()
    names = (name for term in (catalog.glossary() if catalog else []) for name in (term.term, *term.aliases))
    found = sorted({name for name in names if name.casefold().startswith(folded) and " " not in name})
    return found or ([incomplete] if incomplete else [])


def _data_after_command() -> str | None:
    """The --data typed after the command on the line being completed ("sccli show --data f.json <Tab>").

    Click parses a completion line without the hoisting that :func:`_run` does, so
    a global option after the command is not among the root's parameters; the
    shell's words (COMP_WORDS for bash, _TYPER_COMPLETE_ARGS for zsh and fish) have it.
    """
    import shlex

    line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote in the word being typed
        words = line.split()
    found = None
    for number, word in enumerate(words):
        if word == "--data" and number + 1 < len(words):
            found = words[number + 1]
        elif word.startswith("--data="):
            found = word.partition("=")[2]
    return found


def _completion_catalog(ctx: typer.Context) -> "Catalog | None":
    """The library for completion: --data or SCCLI_DATA as typed so far; quiet about any problem."""
    try:
        params = ctx.find_root().params
        names = tuple(params.get("library") or ())
        data = params.get("data") or _data_after_command()
        return _open_catalog(data, progress=False, names=() if data else names, quiet=True)[0]
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


class Language(str, Enum):
    en = "en"
    es = "es"


LanguageOption = Annotated[
    Language | None,
    typer.Option("--lang", help="Only articles in English (en) or Spanish (es).", show_default=False),
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
            help="Read only this file (JSON, MedlinePlus XML, Markdown) or folder of notes, instead of the libraries.",
            show_default=False,
        ),
    ] = None,
    library: Annotated[
        list[str] | None,
        typer.Option(
            "--library",
            "-L",
            metavar="NAME",
            help="Read only this library (repeat for more; see sccli library list). Default: every library.",
            show_default=False,
            autocompletion=lambda: _library_names(),
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
        ThemeName | None,
        typer.Option(
            "--theme",
            help="Colours for a light or a dark terminal (or SCCLI_THEME); default: the terminal's own.",
            show_default=False,
        ),
    ] = None,
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
    plain: Annotated[
        bool,
        typer.Option(
            "--plain", help="No boxes, rules or colour (for screen readers and simple terminals; also TERM=dumb)."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="SCCLI_DEBUG", help="On an unexpected error, show the traceback; show timings."),
    ] = False,
) -> None:
    typed = ctx.get_parameter_source("data") is not ParameterSource.ENVIRONMENT
    if data is not None and (library or ctx.invoked_subcommand == "library"):
        if typed:
            raise UsageError("--data reads one file alone; it cannot be used with --library or sccli library.", ctx)
        data = None  # SCCLI_DATA gives way to what was typed: --library, or managing the libraries
    options = Options(data, debug, color, width, theme or _theme(), pager, plain, tuple(dict.fromkeys(library or ())))
    ctx.obj = Terminal(options, os.environ)
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
            metavar="SECTION",
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
    underlined where an article first uses them; --explain defines them.

    Examples:

    \b
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
    terminal = _terminal(ctx)
    marks = explain or (not json and terminal.styled)  # first uses are only marked where a style can show them
    terminal.emit(
        json,
        lambda serialize: serialize.article_doc(
            found, related, part, notes=not no_notes, glossary=glossary if explain else None, today=today
        ),
        lambda render: render.render_article(
            found,
            related,
            section=part,
            options=render.ArticleOptions(
                notes=not no_notes, glossary=glossary if marks else (), explain=explain, today=today
            ),
        ),
    )


@app.command()
def risks(
    ctx: typer.Context, article: ArticleArg = None, no_notes: NoNotesOption = False, json: JsonOption = False
) -> None:
    """Show only an article's list of risks.

    Examples:

    \b
      sccli risks
      sccli risks scs-for-neuropathy --json
    """
    _show_list(ctx, article, "risks", json, notes=not no_notes)


@app.command()
def benefits(
    ctx: typer.Context, article: ArticleArg = None, no_notes: NoNotesOption = False, json: JsonOption = False
) -> None:
    """Show only an article's list of benefits.

    Examples:

    \b
      sccli benefits
      sccli benefits scs-for-neuropathy --json
    """
    _show_list(ctx, article, "benefits", json, notes=not no_notes)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help='Words to look for; "quote" a phrase.',
            show_default=False,
            autocompletion=_complete_words,
        ),
    ],
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, metavar="N", help="Show at most this many sections."),
    ] = 10,
    article: Annotated[
        str | None,
        typer.Option(
            "--article",
            "-a",
            metavar="ARTICLE",
            help="Search only inside this article.",
            show_default=False,
            autocompletion=_complete_article,
        ),
    ] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="Read the query as SQLite FTS5 syntax (AND, OR, NOT, NEAR, prefix*).")
    ] = False,
    exact: Annotated[bool, typer.Option("--exact", help="Search the words as typed: no spelling correction.")] = False,
    lang: LanguageOption = None,
    json: JsonOption = False,
) -> None:
    """Search every article; show the matching sections, best first.

    Word forms meet ("neuropathic" finds "neuropathy"), and words that mean
    the same do too ("SCS" finds "spinal cord stimulation", "pins and
    needles" finds "paresthesia", "Lyrica" finds "pregabalin"). A word the
    library does not have is read as the closest word it has when it looks
    like a slip of the keys, and a line on stderr says so ("nueropathy" finds
    "neuropathy"); --exact turns that off. Exits with status 1 when nothing matches, and suggests words spelt alike.

    Examples:

    \b
      sccli search neuropathy
      sccli search nerve pain --limit 3
      sccli search '"lead movement"'
      sccli search infection --article living-with-a-stimulator --json
      sccli search --raw 'infect* NOT surgery'
    """
    from sccli.errors import NoMatches
    from sccli.sanitize import clean_text

    catalog = _catalog(ctx, lang)
    terminal = _terminal(ctx)
    text = clean_text(" ".join(query))
    within = catalog.find(article).id if article is not None else None
    index = catalog.index
    if getattr(index, "engine", "") == "scan":
        terminal.warn("this Python's SQLite has no FTS5; searching with a simple scan instead.")
    corrected = None if raw or exact else index.correct(text)
    hits = index.search(corrected, limit=limit, article=within) if corrected else []
    if hits and corrected:
        terminal.inform(f"No match for {_replaced(text, corrected)}; showing results for '{corrected}'.")
    else:
        corrected = None
        hits = index.search(text, limit=limit, article=within, raw=raw)
    suggestions = [] if hits or raw else index.suggest(text)
    searched = corrected or text
    # On screen, counting stops past COUNTED ("more than 10,000"); --json counts them all.
    at_most = None if json else COUNTED
    total = index.count(searched, article=within, raw=raw, at_most=at_most) if len(hits) == limit else len(hits)
    if json or hits:
        terminal.emit(
            json,
            lambda serialize: serialize.results_doc(text, hits, suggestions, corrected=corrected, total=total),
            lambda render: render.render_results(searched, hits, total, at_most=at_most),
        )
    if not hits:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else " Try fewer or other words."
        raise NoMatches(f"Nothing matches '{text}'.{hint}")


@app.command(name="list")
def list_(ctx: typer.Context, lang: LanguageOption = None, json: JsonOption = False) -> None:
    """List the articles: the ids that other commands accept, and titles.

    Examples:

    \b
      sccli list
      sccli list --library medlineplus --lang es
      sccli list --json
    """
    catalog = _catalog(ctx, lang)
    if catalog.count() == 0:
        from sccli.errors import NotFound

        language = {"en": " in English", "es": " in Spanish"}[lang.value] if lang else ""
        raise NotFound(f"No articles{language} in the libraries read.", [], "Run 'sccli library list' to see them.")
    width = catalog.id_width()
    _streaming.append(True)
    _terminal(ctx).emit_rows(
        json,
        lambda serialize: serialize.articles_json(catalog.articles()),
        lambda render: render.article_rows(catalog.articles(), width),
    )


@app.command()
def sections(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """List an article's sections, with the ids that show --section accepts.

    Examples:

    \b
      sccli sections
      sccli sections living-with-a-stimulator
    """
    found = _catalog(ctx).find(article)
    _terminal(ctx).emit(
        json, lambda serialize: serialize.sections_doc(found), lambda render: render.render_sections(found)
    )


@app.command()
def related(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """List the articles related to an article, to read next.

    Examples:

    \b
      sccli related
      sccli related painful-diabetic-neuropathy --json
    """
    catalog = _catalog(ctx)
    found = catalog.find(article)
    linked = catalog.related(found)
    _terminal(ctx).emit(
        json,
        lambda serialize: serialize.related_doc(found, linked),
        lambda render: render.render_related(found, linked),
    )


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

    Examples:

    \b
      sccli define
      sccli define paresthesia
      sccli define "dorsal root ganglion" --json
    """
    catalog = _catalog(ctx)
    glossary = catalog.glossary()
    terminal = _terminal(ctx)
    library, slash, local = (term or "").partition("/")
    if slash and (chosen := catalog.glossary_of(library)) is not None:  # NAME/TERM: that library's entry
        glossary, term = chosen, local
    if term is None:
        return terminal.emit(
            json, lambda serialize: serialize.glossary_doc(glossary), lambda render: render.render_glossary(glossary)
        )
    from sccli.lookup import find_term
    from sccli.vocabulary import packaged_groups

    found = find_term(glossary, term, packaged_groups)
    terminal.emit(json, lambda serialize: serialize.term_doc(found), lambda render: render.render_term(found))


class ExportFormat(str, Enum):
    markdown = "markdown"
    html = "html"
    text = "text"


#: What a file's extension says its format is.
_EXTENSIONS = {
    ".md": ExportFormat.markdown,
    ".markdown": ExportFormat.markdown,
    ".html": ExportFormat.html,
    ".htm": ExportFormat.html,
    ".txt": ExportFormat.text,
    ".text": ExportFormat.text,
}


def _export_format(given: "ExportFormat | None", output: str | None, ctx: typer.Context) -> ExportFormat:
    """--format, else what the output file's extension says, else Markdown; a contradiction is a usage error."""
    extension = os.path.splitext(output or "")[1].lower()
    implied = _EXTENSIONS.get(extension)
    if given is not None and implied is not None and given is not implied:
        raise UsageError(
            f"--format {given.value} does not match the file name {output!r}, which says {implied.value}.", ctx
        )
    return given or implied or ExportFormat.markdown


@app.command()
def export(
    ctx: typer.Context,
    article: ArticleArg = None,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="markdown, html (one self-contained page) or text. Default: from FILE's extension, else markdown.",
            show_default=False,
        ),
    ] = None,
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
    unless you add --force.

    Examples:

    \b
      sccli export questions-for-your-doctor --format html -o questions.html
      sccli export living --format markdown > living.md
      sccli export --format text -o seed.txt --force
    """
    import datetime

    from sccli import export as exporting

    format = _export_format(format, output, ctx)
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
        content = exporting.to_text(view, _terminal(ctx).options.width or exporting.WIDTH)
    if output is None or output == "-":
        sys.stdout.write(content)
        return
    from pathlib import Path

    from sccli.data import packaged_data_path

    data = _terminal(ctx).options.data
    protected = [Path(packaged_data_path())] + ([Path(data)] if data is not None else [])
    protected += [Path(shelf.path) for shelf in _shelves(quiet=True) if os.path.isfile(shelf.path)]
    exporting.write_atomically(output, content, force=force, protected=protected)
    _terminal(ctx).report("Wrote", f"{output} ({format.value}).")


@app.command(name="help")
def help_(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Argument(metavar="[COMMAND]", help="The command to explain.", show_default=False),
    ] = None,
) -> None:
    """Show the help of sccli, or of one command (the same as COMMAND --help).

    Examples:

    \b
      sccli help
      sccli help search
    """
    root = ctx.find_root()
    group = root.command
    if command is None:
        _terminal(ctx).stdout.write(group.get_help(root) + "\n")
        return
    found = group.get_command(root, command) if hasattr(group, "get_command") else None
    if found is None:
        names = ", ".join(getattr(group, "commands", {}))
        raise UsageError(f"No such command '{command}'. The commands are: {names}.", ctx)
    with found.make_context(command, ["--help"], parent=root, resilient_parsing=True) as sub:
        _terminal(ctx).stdout.write(found.get_help(sub) + "\n")


@app.command()
def index(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the index even if it is up to date.")] = False,
    json: JsonOption = False,
) -> None:
    """Build the search index of your libraries, or of --data, and say what it holds.

    sccli builds it by itself when a file is new or has changed; this
    command does it now, with a progress bar on a terminal. The packaged
    library alone needs no index file: it is indexed in memory on each run.

    Examples:

    \b
      sccli index
      sccli --data my-articles.json index
      SCCLI_DATA=my-articles.json sccli index --rebuild
    """
    from sccli.data import packaged_data_path
    from sccli.libraries import choose

    data = _terminal(ctx).options.data
    shelves = _shelves() if data is None else []
    source = choose(data, shelves, _terminal(ctx).options.libraries, None, packaged_data_path())
    if source is None:
        report: dict[str, Any] = {
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

        again = _use_index(source, data)  # (damage found below means building it again)
        conn, built = _open_index(source, rebuild=rebuild or again)
        catalog = DatabaseCatalog(conn)
        problems = [
            f"the library '{item.name}' is left out: {item.problem}" for item in catalog.libraries() if item.problem
        ]
        for problem in [*problems, *catalog.problems]:  # what the index holds includes what is wrong with it
            _warn(problem)
        count = catalog.count()
        if isinstance(source, str):
            location = built.location if built else str(_cache_file(source))
            label = str(data)
        else:
            location = built.location if built else str(_cache_dir() / source.cache_name())
            left_out = {item.name for item in catalog.libraries() if item.problem}
            names = [shelf.name for shelf in source.shelves if shelf.name not in left_out]
            label = f"your libraries ({', '.join(names)})"
        report = {
            "data": clean_text(str(data)) if data is not None else None,  # a path is untrusted text
            "cache": clean_text(location),
            "built": built is not None,
            "articles": count,
            "seconds": round(built.seconds, 3) if built else 0.0,
        }
        if not isinstance(source, str):
            report["libraries"] = names
        articles = f"{count:,} article" + ("" if count == 1 else "s")
        if built is None:
            message = f"The index of {label} is up to date ({articles}): {location}"
        else:
            where = "in memory (the cache folder cannot be used)" if location == "memory" else f"into {location}"
            message = f"Indexed {articles} from {label} {where} in {built.seconds:.2f} s."
    terminal = _terminal(ctx)
    if json:
        return terminal.print_json(report)
    from rich.text import Text

    from sccli.sanitize import one_line

    terminal.print(Text(one_line(message)), soft_wrap=True)


library_app = typer.Typer(
    cls=TyperGroup,
    invoke_without_command=True,
    help=(
        "Read other libraries beside the packaged one: MedlinePlus health topics or definitions (XML or zip), "
        "your Markdown notes (a .md file or a folder), or an sccli JSON file."
    ),
    epilog="The list is kept in libraries.ini in your config folder, a file you may edit.",
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(library_app, name="library")


@library_app.callback()
def _library(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:  # as "sccli" alone: the help, on stdout
        _terminal(ctx).stdout.write(ctx.get_help() + "\n")


@library_app.command(name="add")
def library_add(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="PATH", help="The file or folder to read.", show_default=False)],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="NAME", help="What to call it (default: from the file or folder).", show_default=False
        ),
    ] = None,
) -> None:
    """Add a library and index it with the others; every command then reads it.

    Examples:

    \b
      sccli library add mplus_topics_2024-06-06.xml
      sccli library add ~/notes --name notes
      sccli library add mplus_topics_compressed_2024-06-06.zip --name mplus
    """
    from sccli import libraries
    from sccli.data import packaged_data_path
    from sccli.errors import DataError
    from sccli.sanitize import clean_text

    if name is not None and (not libraries.valid_name(name) or name == libraries.PACKAGED):
        raise UsageError(f"--name {name!r}: use lower-case words joined by hyphens (at most 40), not 'sccli'.", ctx)
    libraries.check_path(os.path.abspath(path))
    if not os.path.isdir(path) and not os.path.isfile(path):
        reason = "no such file or folder" if not os.path.lexists(path) else "not a file or a folder"
        raise DataError(f"{path}: {reason}.")
    notices: list[str] = []
    library = libraries.read_library(path, notices)  # one clear error, and nothing added, if it cannot be read
    summary = libraries.describe(name or "", os.path.abspath(path), library)
    chosen = name if name is not None else _default_name(path, summary.kind)
    file = _config_file()
    from pathlib import Path

    shelf = libraries.add(Path(file), path, chosen, packaged=packaged_data_path())
    started = time.perf_counter()
    catalog, fresh = _open_with(libraries, preloaded={shelf.path: library}, notices=notices)
    seconds = time.perf_counter() - started
    shared = _shared_with(catalog, shelf.name)
    if shared is not None:
        older = shelf.name if shared == libraries.PACKAGED else shared
        _warn(
            f"most articles of '{shelf.name}' have the same ids as those of '{shared}' (another copy of it?): "
            f"both are written NAME/ID now; if one replaces the other, run 'sccli library remove {older}'"
        )
    for problem in [
        f"the library '{item.name}' is left out: {item.problem}" for item in catalog.libraries() if item.problem
    ] + (catalog.problems if fresh else []):
        _warn(problem)
    found = next((item for item in catalog.libraries() if item.name == shelf.name), summary)
    counts = f"{found.articles:,} article" + ("" if found.articles == 1 else "s")
    if found.terms:
        counts += f", {found.terms:,} glossary entr" + ("y" if found.terms == 1 else "ies")
    dated = f" of {found.date}" if found.date else ""
    _terminal(ctx).report(
        "Added",
        clean_text(
            f"the library '{shelf.name}' ({found.kind}{dated}: {counts}) from {shelf.path}; "
            f"indexed with the others in {seconds:.1f} s."
        ),
    )


def _shared_with(catalog: "Catalog", name: str) -> str | None:
    """The library with which ``name`` shares most of its article ids, if it shares more than half."""
    from collections import Counter

    every = [found.partition("/") for found in catalog.qualified_ids()]
    local = {rest for library, _, rest in every if library == name}
    counts = Counter(library for library, _, rest in every if library != name and rest in local)
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] * 2 > len(local) else None


def _default_name(path: str, kind: str) -> str:
    """A library's name when --name is not given: what it is, or its file or folder name; one not taken yet."""
    from sccli.libraries import PACKAGED, valid_name
    from sccli.medlineplus import slugify

    if kind == "MedlinePlus health topics":
        base = "medlineplus"
    elif kind == "MedlinePlus definitions":
        base = "medlineplus-definitions"
    else:
        stem = os.path.basename(os.path.normpath(os.path.abspath(path)))
        base = slugify(stem.rsplit(".", 1)[0] if os.path.isfile(path) else stem)[:40].strip("-") or "library"
    taken = {PACKAGED, *(shelf.name for shelf in _shelves(quiet=True))}
    name, number = base, 2
    while name in taken or not valid_name(name):
        name = f"{base[:36].strip('-')}-{number}"
        number += 1
    return name


def _open_with(libraries: Any, *, preloaded: Any = None, notices: Any = ()) -> "tuple[Catalog, bool]":
    """Every library (none narrowed), built now if need be; ``preloaded`` maps paths to libraries already read."""
    from sccli.catalog import open_chosen
    from sccli.data import packaged_data_path

    source = libraries.choose(None, _shelves(), (), None, packaged_data_path(), preloaded=preloaded, notices=notices)
    _in_use.append(LIBRARIES)
    with _terminal().progress() as report:
        return open_chosen(source, _cache_dir(), progress=report)


@library_app.command(name="list")
def library_list(ctx: typer.Context, json: JsonOption = False) -> None:
    """List the libraries: name, kind, articles, date of the copy, language and where it is.

    Examples:

    \b
      sccli library list
      sccli library list --json
    """
    catalog = _catalog(ctx)
    summaries = catalog.libraries()
    if not summaries:  # the packaged library alone, read in memory (--data never reaches this command)
        from sccli.data import load_library, packaged_data_path
        from sccli.libraries import PACKAGED, describe

        summaries = [describe(PACKAGED, packaged_data_path(), load_library(None), packaged=True)]
    _terminal(ctx).emit(
        json,
        lambda serialize: serialize.libraries_doc(summaries),
        lambda render: render.render_libraries(summaries),
    )


@library_app.command(name="remove")
def library_remove(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="The library's name (sccli library list).", autocompletion=lambda: _library_names()[1:]
        ),
    ],
) -> None:
    """Stop reading a library. Its files are left as they are.

    Examples:

    \b
      sccli library remove medlineplus
    """
    from pathlib import Path

    from sccli.libraries import remove

    shelf = remove(Path(_config_file()), name)
    _terminal(ctx).report("Removed", f"the library '{shelf.name}' ({shelf.path}); its files are left as they are.")


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
            names = set(getattr(command, "commands", {}))
            result = command.main(args=_hoisted(sys.argv[1:], names), standalone_mode=False)
            return result if isinstance(result, int) else 0  # an exit status, or a command's None
        except SystemExit as done:
            return done.code
        except ClickException as error:
            _usage_error(error)
            return error.exit_code
        except _DamagedCache as error:
            if damaged == error.data:  # damaged again, right after it was rebuilt
                _error(f"the index of {_what(error.data)} cannot be read even after rebuilding it ({error}).")
                return ExitStatus.ERROR
            if _streaming:  # rows already written cannot be taken back: running again would repeat them
                for cache in _caches:
                    with contextlib.suppress(OSError):
                        cache.unlink()
                _error(
                    f"the index of {_what(error.data)} was found damaged part way through; it will be built "
                    "again on the next run"
                )
                return ExitStatus.ERROR
            damaged = error.data
            _warn(f"the index of {_what(error.data)} was damaged; rebuilding it")
            _rebuild.append(error.data)  # on the next try (an open file cannot be removed on Windows)
            for cache in _caches:
                with contextlib.suppress(OSError):
                    cache.unlink()
        except BaseException as error:
            if _interrupted(error):  # while starting up, before a command runs
                return ExitStatus.CTRL_C
            if isinstance(error, BrokenPipeError):
                _silence_stdout()
                return ExitStatus.SUCCESS
            if _output_failed(error):  # --help or --version into a full or closed stdout
                return ExitStatus.ERROR
            raise


def _what(source: str) -> str:
    return "your libraries" if source == LIBRARIES else source


#: The cache files of the indexes opened on this run (to remove one found damaged).
_caches: list["Path"] = []

#: Set once a command has begun to write output that grows with the library (list): if the
#: index turns out damaged then, the command cannot simply run again.
_streaming: list[bool] = []

#: Data files (or LIBRARIES) whose index must be built again on this run (it was found damaged).
_rebuild: list[str] = []

#: Set by the Ctrl-C handler: SQLite turns a KeyboardInterrupt raised while it works
#: (see sccli.search.store.interruptible) into an error of its own.
_ctrl_c: list[bool] = []


def _on_ctrl_c(signum: int, frame: Any) -> None:
    _ctrl_c.append(True)
    raise KeyboardInterrupt


def _interrupted(error: BaseException) -> bool:
    """Whether ``error`` is a Ctrl-C, or what became of one. Python 3.10 and 3.11 wrap one that lands
    while a class is being created (in ``__set_name__``, as a module is imported) in a RuntimeError."""
    return (
        bool(_ctrl_c)
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
    return isinstance(ctx.obj, Terminal) and ctx.obj.options.debug


# Helpers shared by the commands.


def _show_list(ctx: typer.Context, article: str | None, section_id: str, json: bool, *, notes: bool) -> None:
    from sccli.lookup import find_list

    catalog = _catalog(ctx)
    found = catalog.find(article)
    section, block = find_list(found, section_id, catalog.articles())
    _terminal(ctx).emit(
        json,
        lambda serialize: serialize.list_doc(found, section, block, notes=notes),
        lambda render: render.render_list(found, section, block, options=render.ArticleOptions(notes=notes)),
    )


def _replaced(text: str, corrected: str) -> str:
    """The words of ``text`` that spelling correction replaced, quoted for a note:
    "blood presure?" -> "'presure'"; "nueropathy presure" -> "'nueropathy', 'presure'"."""
    from sccli.search.query import words

    kept = set(words(corrected))
    replaced = [word for word in dict.fromkeys(words(text)) if word not in kept]
    return ", ".join(f"'{word}'" for word in replaced or [text])


def _catalog(ctx: typer.Context, language: "Language | None" = None) -> "Catalog":
    """The libraries in use (``language``: only the articles in it). Their problems (articles without
    sources, links to nowhere) are said when they are indexed, not again on every run that reuses
    the index; a library that cannot be read is said on every run."""
    options = _terminal(ctx).options
    catalog, fresh = _open_catalog(options.data, names=options.libraries, language=language)
    for summary in catalog.libraries():
        if summary.problem:
            _warn(f"the library '{summary.name}' is left out: {summary.problem}")
    if fresh:
        for problem in catalog.problems:
            _warn(problem)
    return catalog


#: What _in_use holds while the libraries' shared index is read (rather than a data file's).
LIBRARIES = "\x00libraries"

#: The index a command reads, for _DamagedCache: a data file's path, or LIBRARIES.
_in_use: list[str] = []


def _open_catalog(
    data: str | None,
    *,
    progress: bool = True,
    names: "tuple[str, ...]" = (),
    language: "Language | None" = None,
    quiet: bool = False,
) -> "tuple[Catalog, bool]":
    """What the command reads (see :func:`sccli.libraries.choose`), and whether it was indexed just now."""
    from sccli.catalog import open_chosen

    shelves = _shelves(quiet=quiet) if data is None else []
    # What choose() says too, known here without importing it (every command's start-up):
    # the packaged library alone, or a data file alone.
    if data is None and not shelves and not names and language is None:
        return open_chosen(None, None)
    if data is not None and language is None:
        source: str | Shelves | None = data
    else:
        from sccli.data import packaged_data_path
        from sccli.libraries import choose

        source = choose(data, shelves, names, language.value if language else None, packaged_data_path())
    if source is None:  # the packaged library alone, in memory: no cache folder to find (start-up)
        return open_chosen(None, None)
    rebuild = _use_index(source, data)
    if not progress:  # a shell completing a word has no room for a progress bar
        return open_chosen(source, _cache_dir(), rebuild=rebuild)
    with _terminal().progress() as report:
        return open_chosen(source, _cache_dir(), progress=report, rebuild=rebuild)


def _use_index(source: "str | Shelves", data: str | None) -> bool:
    """Note the index a command reads, so that damage found in it means building it again
    (:class:`_DamagedCache`); return whether this run is that second try."""
    key = LIBRARIES if data is None else data
    _in_use.append(key)
    _caches.append(_cache_dir() / (source.cache_name() if not isinstance(source, str) else _cache_file(source).name))
    return key in _rebuild


def _shelves(*, quiet: bool = False) -> "list[Shelf]":
    """The libraries added to the config file; what is wrong with it is a warning (unless ``quiet``)."""
    file = _config_file()
    if not os.path.lexists(file):  # no libraries added: nothing more to import
        return []
    from pathlib import Path

    from sccli.libraries import read_config

    shelves, problems = read_config(Path(file))
    if not quiet:
        for problem in problems:
            _warn(problem)
    return shelves


def _library_names() -> list[str]:
    """Shell completion for --library."""
    from sccli.libraries import PACKAGED

    try:
        return [PACKAGED, *(shelf.name for shelf in _shelves(quiet=True))]
    except Exception:  # a shell asking for completions must never see an error
        return []


def _config_file() -> str:
    """The libraries file in the user config directory: XDG_CONFIG_HOME, else the platform's default.

    Every command asks, and most find no file: on Linux the XDG rule is applied
    here (what platformdirs does there, checked by a test), since importing
    platformdirs and pathlib costs about 5% of ``sccli show`` (bench/README.md).
    The name is sccli.libraries.CONFIG_NAME, not imported for the same reason.
    """
    if sys.platform.startswith("linux"):
        home = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return os.path.join(home, "sccli", "libraries.ini")
    import platformdirs

    return os.path.join(platformdirs.user_config_dir("sccli", appauthor=False), "libraries.ini")


def _open_index(source: "str | Shelves", *, rebuild: bool = False) -> "tuple[sqlite3.Connection, Built | None]":
    from pathlib import Path

    from sccli.search.cache import FileSource, open_source

    indexed = FileSource(Path(source)) if isinstance(source, str) else source
    with _terminal().progress() as report:
        return open_source(indexed, _cache_dir(), rebuild=rebuild, progress=report)


def _cache_dir() -> "Path":
    """The user cache directory: XDG_CACHE_HOME, else the platform's default."""
    import platformdirs

    return platformdirs.user_cache_path("sccli", appauthor=False)


def _cache_file(data: str) -> "Path":
    from pathlib import Path

    from sccli.search.cache import cache_path

    return cache_path(_cache_dir(), Path(data))


def _theme() -> ThemeName:
    """SCCLI_THEME, when --theme is not given; a name that is not a theme is a warning, not an error."""
    name = os.environ.get("SCCLI_THEME", "").strip()
    if not name:
        return ThemeName.default
    try:
        return ThemeName(name.lower())
    except ValueError:
        names = ", ".join(theme.value for theme in ThemeName)
        Terminal(Options(), os.environ).warn(f"SCCLI_THEME={name} is not a theme ({names}); using the default")
        return ThemeName.default


def _terminal(ctx: Context | None = None) -> Terminal:
    """The terminal of the command being run; one with default options outside a command."""
    ctx = ctx or get_current_context(silent=True)
    found = ctx.find_root().obj if ctx is not None else None
    return found if isinstance(found, Terminal) else Terminal(Options(), os.environ)


def _error(message: str) -> None:
    _terminal().error(message)


def _warn(message: str) -> None:
    _terminal().warn(message)
