"""Progress for long scans: a rich spinner on stderr when it is a terminal, else nothing.

rich is imported only when the spinner is shown, so piped and ``--quiet`` runs stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


@contextmanager
def progress(*, quiet: bool) -> Iterator[Step]:
    """Yield a function that names the current stage; silent when quiet or not on a TTY."""
    if quiet or not sys.stderr.isatty():
        yield _silent
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("drgen lint", spinner="dots") as status:
        yield lambda message: status.update(message)
