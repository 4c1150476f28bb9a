"""The command's entry (the ``reportlint`` script and ``python -m reportlint``).

It imports nothing itself, so that Ctrl-C while the command's modules are still loading
ends in the same one line as later, not in a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from reportlint.cli import main as cli_main
    except KeyboardInterrupt:  # Ctrl-C while still starting up
        sys.stderr.write("reportlint: interrupted\n")
        sys.exit(130)
    cli_main()
