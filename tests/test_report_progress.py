"""Progress goes to stderr only on a terminal and never with --quiet."""

from __future__ import annotations

import io

import pytest

from drgen.lint.cli.progress import progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "quiet", "shown"), [(True, False, True), (True, True, False), (False, False, False)]
)
def test_progress_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, shown: bool
) -> None:
    stream = FakeTerminal() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    with progress(quiet=quiet) as step:
        step("Parsing Terraform…")
    assert bool(stream.getvalue()) is shown
