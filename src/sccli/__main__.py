"""Allow ``python -m sccli``."""

from sccli.cli import main

main()
