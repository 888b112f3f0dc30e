"""Every sample and variation passes its own drill for a loss of its primary region: the roots
on the recovery path and the failover runbook work without it (and the drill says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.drill.command import run_drill

from .cases import Case, all_cases, write_spec

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_recovery_path_holds_without_the_primary(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    primary = case.raw["regions"]["primary"]
    code = run_drill(write_spec(case, tmp_path), primary)
    output = capsys.readouterr().out
    assert code == 0, output
    assert f"result: the recovery path holds without {primary}" in output
    assert "4-recovery: no dependency on" in output or case.raw["pattern"] == "backup-restore"
