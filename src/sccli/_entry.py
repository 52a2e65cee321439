"""The ``sccli`` console script: a Ctrl-C while the CLI is still importing ends quietly too.

The script pip writes runs ``import re, sys; from sccli._entry import main`` and then
``main()``. What runs before the ``try`` below (``sccli/__init__.py`` and this module)
imports nothing, so that a Ctrl-C almost never lands outside it; Python's own start-up
and the script's ``import re`` still come first (see
tests/test_robustness.py::test_ctrl_c_ends_with_130_and_no_traceback).
"""


def main() -> None:
    try:
        from sccli.cli import main as run

        run()  # handles Ctrl-C itself once the CLI is imported; this catches the instants around that
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except RuntimeError as error:
        # Python 3.10 and 3.11 wrap a Ctrl-C that lands while a class is being created
        # (in __set_name__: ipaddress, imported with Typer, has such classes) in a RuntimeError.
        if isinstance(error.__cause__, KeyboardInterrupt):
            raise SystemExit(130) from None
        raise
