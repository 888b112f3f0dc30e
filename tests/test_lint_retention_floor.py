"""DR038's retention floor: `retention_floor_days` in the config, `--retention-floor DAYS`, and
the check judged against whichever floor is in force (the fixtures cover the default)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drgen.config import load_config
from drgen.errors import DrgenError
from drgen.lint.cli.lint_command import LintOptions, run_lint
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project

CHECKOUT = Path(__file__).resolve().parents[1]
DR038 = [p for p in load_policies() if p.id == "DR038"]
DATABASE = """\
provider "aws" {{
  region = "eu-west-1"
}}

resource "aws_db_instance" "orders" {{
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.large"
  backup_retention_period = {days}
  multi_az                = true
}}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root (with .git) holding one database kept 10 days, the current folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(DATABASE.format(days=10), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _dr038(capsys: pytest.CaptureFixture[str], **options: Any) -> list[str]:
    capsys.readouterr()
    run_lint(
        LintOptions(
            paths=[Path("infra")], formats=["json"], quiet=True, checks=["DR038"], **options
        )
    )
    findings = json.loads(capsys.readouterr().out)["findings"]
    return [f["message"] for f in findings if f["rule_id"] == "DR038"]


def test_the_config_key_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text("retention_floor_days: 14\n", encoding="utf-8")
    assert load_config(path).retention_floor_days == 14


@pytest.mark.parametrize("value", ["0", "-3", '"14"', "true", "1.5", "36501", "null"])
def test_a_bad_floor_in_the_config_is_a_located_error(tmp_path: Path, value: str) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text(f"strict: true\nretention_floor_days: {value}\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert (problem.json_path, problem.line, problem.file) == (
        "$.retention_floor_days",
        2,
        str(path),
    )


def test_the_flag_wins_over_the_config_which_wins_over_the_default(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _dr038(capsys) == []  # 10 days against the default 7
    (repo / ".drgen.yaml").write_text("retention_floor_days: 14\n", encoding="utf-8")
    (message,) = _dr038(capsys)
    assert "keeps automated backups 10 days" in message
    assert "below the retention floor of 14 days" in message
    assert _dr038(capsys, retention_floor=10) == []
    (message,) = _dr038(capsys, retention_floor=30)
    assert "floor of 30 days" in message and "at least 30" in message


@pytest.mark.parametrize("floor", [0, -1, 36501])
def test_a_bad_flag_is_a_usage_error(repo: Path, floor: int) -> None:
    with pytest.raises(DrgenError) as caught:
        run_lint(LintOptions(paths=[Path("infra")], quiet=True, retention_floor=floor))
    assert f"--retention-floor {floor} is not a number of days from 1 to 36500" in (
        caught.value.format()
    )


def test_cli_bad_floor_exits_2_and_writes_nothing(repo: Path) -> None:
    (repo / ".drgen.yaml").write_text("retention_floor_days: 0\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "drgen", "lint", "infra", "-o", "report.txt"],
        cwd=repo,
        env={"PYTHONPATH": str(CHECKOUT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith(".drgen.yaml:1:23: ")
    assert not (repo / "report.txt").exists()
    flag = subprocess.run(
        [sys.executable, "-m", "drgen", "lint", "infra", "--retention-floor", "many"],
        cwd=repo,
        env={"PYTHONPATH": str(CHECKOUT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert flag.returncode == 2 and "--retention-floor" in flag.stderr


@settings(max_examples=40, deadline=None)
@given(days=st.integers(min_value=1, max_value=35), floor=st.integers(min_value=1, max_value=400))
def test_a_database_is_reported_exactly_when_kept_fewer_days_than_the_floor(
    tmp_path_factory: pytest.TempPathFactory, days: int, floor: int
) -> None:
    folder = tmp_path_factory.mktemp("floor")
    (folder / "main.tf").write_text(DATABASE.format(days=days), encoding="utf-8")
    project, errors = build_project([folder], use_cache=False)
    assert errors == []
    findings = lint_project(project, DR038, retention_floor_days=floor)
    assert len(findings) == (1 if days < floor else 0)
    for finding in findings:
        assert f"backup_retention_period = {days})" in finding.message
        assert f"retention floor of {floor} day" in finding.message
