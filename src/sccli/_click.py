"""The names sccli needs from the Click that Typer vendors, in one place.

Typer 0.28 ships its own copy of Click as the private package ``typer._click``
(``click`` is no longer a dependency) and does not re-export these:

* ``ClickException``: the base of Click's errors, which the CLI's error boundary
  lets through, to show as one line;
* ``UsageError``: the ones that are the user's to fix, which name their command;
* ``Context``: Click's context class, which ``Command.invoke`` is declared with;
* ``get_current_context``: how helpers find the global options of the command
  being run;
* ``ParameterSource``: whether an option was typed or came from the
  environment (``SCCLI_DATA`` gives way to a typed ``--library``).

A private package may move in any Typer release, so nothing else in sccli
imports it: when one does, only this module changes, and
``tests/test_vendored_click.py`` says so. (Typer itself imports all three
before any command runs, so importing them here costs nothing.)
"""

from typer._click.core import Context, ParameterSource
from typer._click.exceptions import ClickException, UsageError
from typer._click.globals import get_current_context

__all__ = ["ClickException", "Context", "ParameterSource", "UsageError", "get_current_context"]
