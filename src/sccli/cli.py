"""The ``sccli`` command line: thin commands over the library, one error boundary.

Each command parses its arguments, makes one library call and one render
call, and prints. Modules that only some commands need (search, rendering,
JSON) are imported inside those commands, so start-up stays small.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from sccli import __version__
from sccli.errors import ExitStatus, SccliError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from sccli.models import Article, Library


class _Group(TyperGroup):
    """The single place where library errors become one sentence and an exit status."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SccliError as error:
            _error(str(error))
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="sccli",
    help=(
        "Read about spinal cord stimulation (SCS) for painful neuropathy, offline.\n\n"
        "General information, not medical advice."
    ),
    epilog=(
        "Exit status: 0 success; 1 not found, no match or a bad data file; 2 usage error.  "
        "Start with: sccli show"
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

ArticleArg = Annotated[
    Optional[str],
    typer.Argument(
        metavar="[ARTICLE]",
        help="Article id, the start of an id, or its title. Default: the first article.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sccli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        Optional[Path],
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
) -> None:
    ctx.obj = data
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@app.command()
def show(
    ctx: typer.Context,
    article: ArticleArg = None,
    section: Annotated[
        Optional[str],
        typer.Option("--section", "-s", help="Show only this section (id, start of an id, or heading).", show_default=False),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Show an article: summary, sections, related articles and sources.

    [b]Examples[/b]

      sccli show
      sccli show living-with-a-stimulator
      sccli show painful --section first-treatments
      sccli show --json | jq .article.title
    """
    from sccli.lookup import find_article, find_section, related_articles

    library = _library(ctx)
    found = find_article(library, article)
    part = find_section(found, section) if section is not None else None
    related = related_articles(library, found)
    if json:
        from sccli.serialize import article_doc

        return _print_json(article_doc(found, related, part))
    from sccli.render import render_article

    _print(render_article(found, related, section=part))


@app.command()
def risks(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """Show only an article's list of risks.

    [b]Examples[/b]

      sccli risks
      sccli risks scs-for-neuropathy --json
    """
    _show_list(ctx, article, "risks", json)


@app.command()
def benefits(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """Show only an article's list of benefits.

    [b]Examples[/b]

      sccli benefits
      sccli benefits scs-for-neuropathy --json
    """
    _show_list(ctx, article, "benefits", json)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to look for.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many sections.")] = 10,
    article: Annotated[
        Optional[str],
        typer.Option("--article", "-a", help="Search only inside this article.", show_default=False),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Search every article; show the matching sections, best first.

    Exits with status 1 when nothing matches.

    [b]Examples[/b]

      sccli search neuropathy
      sccli search nerve pain --limit 3
      sccli search infection --article living-with-a-stimulator --json
    """
    from sccli.errors import NoMatches
    from sccli.lookup import find_article
    from sccli.search import search as run_search

    library = _library(ctx)
    text = " ".join(query)
    within = find_article(library, article).id if article is not None else None
    hits = run_search(library, text, limit=limit, article=within)
    if json:
        from sccli.serialize import results_doc

        _print_json(results_doc(text, hits))
    else:
        if hits:
            from sccli.render import render_results

            _print(render_results(text, hits))
    if not hits:
        raise NoMatches(f"Nothing matches '{text}'. Try fewer or other words.")


@app.command(name="list")
def list_(ctx: typer.Context, json: JsonOption = False) -> None:
    """List the articles: the ids that other commands accept, and titles.

    [b]Examples[/b]

      sccli list
      sccli list --json
    """
    library = _library(ctx)
    if json:
        from sccli.serialize import articles_doc

        return _print_json(articles_doc(library.articles))
    from sccli.render import render_articles

    _print(render_articles(library.articles))


@app.command()
def sections(ctx: typer.Context, article: ArticleArg = None, json: JsonOption = False) -> None:
    """List an article's sections, with the ids that [b]show --section[/b] accepts.

    [b]Examples[/b]

      sccli sections
      sccli sections living-with-a-stimulator
    """
    from sccli.lookup import find_article

    found = find_article(_library(ctx), article)
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
    from sccli.lookup import find_article, related_articles

    library = _library(ctx)
    found = find_article(library, article)
    linked = related_articles(library, found)
    if json:
        from sccli.serialize import related_doc

        return _print_json(related_doc(found, linked))
    from sccli.render import render_related

    _print(render_related(found, linked))


def main() -> None:
    """The ``sccli`` entry point."""
    app()


# Helpers shared by the commands.


def _show_list(ctx: typer.Context, article: str | None, section_id: str, json: bool) -> None:
    from sccli.lookup import find_article, find_list

    found = find_article(_library(ctx), article)
    section, block = find_list(found, section_id)
    if json:
        from sccli.serialize import list_doc

        return _print_json(list_doc(found, section, block))
    from sccli.render import render_list

    _print(render_list(found, section, block))


def _library(ctx: typer.Context) -> Library:
    """Load the data file named by --data/SCCLI_DATA (or the packaged one) and warn once."""
    from sccli.data import find_problems, load_library

    library = load_library(ctx.obj)
    for problem in find_problems(library):
        _warn(problem)
    return library


def _console(stderr: bool = False) -> Console:
    """A console that follows the terminal: Rich on a TTY, plain text in a pipe.

    Rich itself honours NO_COLOR, FORCE_COLOR, TERM and COLUMNS.
    """
    from rich.console import Console

    from sccli.theme import THEME

    return Console(theme=THEME, stderr=stderr, highlight=False, markup=False, emoji=False)


def _print(renderable: RenderableType) -> None:
    """Print to stdout: Rich on a terminal; in a pipe, plain lines without trailing spaces."""
    console = _console()
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as capture:
        console.print(renderable)
    lines = capture.get().splitlines()
    sys.stdout.write("".join(line.rstrip() + "\n" for line in lines))


def _print_json(document: dict[str, Any]) -> None:
    from sccli.serialize import encode

    sys.stdout.write(encode(document))


def _error(message: str) -> None:
    from rich.text import Text

    _console(stderr=True).print(Text.assemble(("Error:", "sccli.error"), " ", message), soft_wrap=True)


def _warn(message: str) -> None:
    from rich.text import Text

    _console(stderr=True).print(Text.assemble(("Warning:", "sccli.warning"), " ", message), soft_wrap=True)
