"""The ``sccli`` console script: a Ctrl-C while the CLI is still importing ends quietly too."""

from __future__ import annotations


def main() -> None:
    try:
        from sccli.cli import main as run
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    run()
