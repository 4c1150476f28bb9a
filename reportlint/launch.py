"""The command's entry (the ``reportlint`` script and ``python -m reportlint``).

It imports almost nothing itself, so that:

- Ctrl-C while the command's modules are still loading ends in the same one line as later,
  not in a traceback;
- a check of one file starts the two-core split's child at once (``split.start_early``),
  before this process imports click and the rest: the child loads the heavy family's data
  meanwhile. The file is guessed from the arguments (the one that names an existing file);
  the command, once its options are read, stops a child it does not need;
- the process ends as soon as the command is done and its output written, without
  tearing down every object one by one (``os._exit``);
- the patterns compiled in earlier runs are taken from the cache (``_recache``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def preload() -> None:
    """The early child's head start (it imports the engine in the child only)."""
    from reportlint.engine import preload_heavy

    preload_heavy()


def early_child_for(paths: Sequence[str]) -> None:
    """Start the early child for a check of ``paths`` when they are one file long enough for
    the split; otherwise stop one started on a guess that the options proved wrong."""
    from reportlint import split

    if split.worth_early(paths):
        split.quiet_gc()  # the child checks with the parent's thresholds
        split.start_early(preload)
    else:
        split.dismiss_early()


def _start_early(args: list[str]) -> None:
    if args[:1] != ["check"] or any(a.startswith(("--scheduler", "--changed-since")) for a in args):
        return
    early_child_for([a for a in args[1:] if not a.startswith("-") and os.path.isfile(a)])


def main() -> None:
    try:
        from reportlint import _recache

        _recache.install()  # before any pattern is compiled, in the early child too
        _start_early(sys.argv[1:])
        from reportlint.cli import main as cli_main
    except KeyboardInterrupt:  # Ctrl-C while still starting up
        sys.stderr.write("reportlint: interrupted\n")
        sys.exit(130)
    try:
        cli_main()
    except SystemExit as e:
        code = e.code
        if code is not None and not isinstance(code, int):
            sys.stderr.write(f"{code}\n")
            code = 1
        _leave(code or 0)


def _leave(code: int) -> None:
    """Flush the output and end the process now: what is left to do at a normal exit is to
    free every object, which takes longer than a short check's output."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # a reader that went away (| head): nothing more to say
            pass
    from reportlint import _recache

    _recache.save()
    os._exit(code)
