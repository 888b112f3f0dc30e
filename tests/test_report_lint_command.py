"""`drgen lint` end to end: config merge, formats, output files, baseline, exit codes.

The fixture runs two user policies (tests/fixtures/report/command/policies) selected by its
.drgen.yaml, so these tests pin the orchestration, not the built-in catalog.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from drgen.errors import DrgenError
from drgen.lint.cli.lint_command import LintOptions, run_lint

FIXTURE = Path(__file__).parent / "fixtures" / "report" / "command"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture as a repository root (with .git), the current directory."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def lint(*paths: str, **options: Any) -> int:
    return run_lint(LintOptions(paths=[Path(p) for p in paths], quiet=True, **options))


def lint_json(capsys: pytest.CaptureFixture[str], *paths: str, **options: object) -> dict[str, Any]:
    capsys.readouterr()
    lint(*paths, formats=["json"], **options)
    return json.loads(capsys.readouterr().out)


def test_findings_fail_and_text_goes_to_stdout(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lint("infra") == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("infra/app/main.tf\n")  # openable from the current folder
    assert "ACME001" in captured.out and "| backup_retention_period = 0" in captured.out
    assert captured.err == ""  # no progress off a terminal


def test_min_severity_flag_wins_over_config(repo: Path) -> None:
    assert lint("infra", min_severity="critical") == 0
    (repo / ".drgen.yaml").write_text(
        "policies: {enable: [ACME001, ACME002], dirs: [policies]}\nmin_severity: critical\n",
        encoding="utf-8",
    )
    assert lint("infra") == 0
    assert lint("infra", min_severity="high") == 1


def test_severity_override_from_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".drgen.yaml").write_text(
        "policies: {enable: [ACME001, ACME002], dirs: [policies]}\nseverity: {ACME001: low}\n",
        encoding="utf-8",
    )
    document = lint_json(capsys, "infra")
    assert {f["rule_id"]: f["severity"] for f in document["findings"]} == {
        "ACME001": "low",
        "ACME002": "low",
    }
    assert lint("infra", min_severity="medium") == 0


def test_explicit_config_replaces_the_found_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = repo / "only-acme001.yaml"
    other.write_text("policies: {enable: [ACME001], dirs: [policies]}\n", encoding="utf-8")
    document = lint_json(capsys, "infra", config=other)
    assert [f["rule_id"] for f in document["findings"]] == ["ACME001"]


def test_invalid_config_is_a_located_usage_error(repo: Path) -> None:
    (repo / ".drgen.yaml").write_text("policies:\n  enable: DR001\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        lint("infra")
    (problem,) = caught.value.problems
    assert (problem.line, problem.json_path) == (2, "$.policies.enable")


def test_exclude_drops_findings_below_a_folder(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = repo / "infra" / "legacy"
    legacy.mkdir()
    shutil.copy(repo / "infra" / "app" / "main.tf", legacy / "main.tf")
    assert {f["file"] for f in lint_json(capsys, "infra")["findings"]} == {
        "app/main.tf",
        "legacy/main.tf",
    }
    with (repo / ".drgen.yaml").open("a", encoding="utf-8") as config:
        config.write("exclude: [infra/legacy]\n")
    assert {f["file"] for f in lint_json(capsys, "infra")["findings"]} == {"app/main.tf"}


def test_every_format_into_an_output_dir(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    formats = ["text", "json", "sarif", "github", "junit"]
    assert lint("infra", formats=formats, output_dir=Path("reports")) == 1
    assert capsys.readouterr().out == ""
    written = sorted(p.name for p in (repo / "reports").iterdir())
    assert written == ["drgen-github.txt", "drgen.json", "drgen.sarif", "drgen.txt", "drgen.xml"]
    sarif = json.loads((repo / "reports" / "drgen.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert not list(Draft7Validator(schema).iter_errors(sarif))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"infra/app/main.tf"}  # relative to the repository root, not to infra/
    rules = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == ["ACME001", "ACME002"]  # only the policies the config enables
    github = (repo / "reports" / "drgen-github.txt").read_text(encoding="utf-8")
    assert "file=infra/app/main.tf,line=7,title=ACME001::" in github
    ET.parse(repo / "reports" / "drgen.xml")


def test_single_format_to_an_output_file(repo: Path) -> None:
    assert lint("infra", formats=["sarif"], output=Path("out/drgen.sarif")) == 1
    assert json.loads((repo / "out" / "drgen.sarif").read_text(encoding="utf-8"))["version"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"formats": ["json", "sarif"]}, "several --format values need --output-dir"),
        ({"formats": ["xml"]}, "unknown format 'xml'"),
        ({"min_severity": "urgent"}, "unknown severity 'urgent'"),
        ({"objectives": "rpo=1h,rto=1h", "spec": Path("x.yaml")}, "not both"),
        ({"output": Path("a"), "output_dir": Path("b")}, "exclude each other"),
    ],
)
def test_usage_errors(repo: Path, options: dict[str, object], message: str) -> None:
    with pytest.raises(DrgenError) as caught:
        lint("infra", **options)
    assert message in caught.value.format()


def test_baseline_round_trip(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint("infra", write_baseline=Path("baseline.json")) == 0
    recorded = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert [e["fingerprint"] for e in recorded["findings"]] == [
        "ACME001|infra/app|aws_db_instance.orders|",
        "ACME002|infra/app|aws_s3_bucket.scratch|",
    ]
    assert lint("infra", baseline=Path("baseline.json")) == 0
    document = lint_json(capsys, "infra", baseline=Path("baseline.json"))
    assert document["summary"]["baselined"] == 2
    assert [f["suppressed"] for f in document["findings"]] == [True]
    main = repo / "infra" / "app" / "main.tf"
    main.write_text(
        "\n\n"
        + main.read_text(encoding="utf-8")  # known findings move down two lines
        + '\nresource "aws_db_instance" "audit" {\n  backup_retention_period = 0\n}\n',
        encoding="utf-8",
    )
    document = lint_json(capsys, "infra", baseline=Path("baseline.json"))
    assert [(f["resource"], f["suppressed"]) for f in document["findings"]] == [
        ("aws_s3_bucket.cache", True),
        ("aws_db_instance.audit", False),
    ]
    assert lint("infra", baseline=Path("baseline.json")) == 1


def test_baseline_from_config(repo: Path) -> None:
    assert lint("infra", write_baseline=Path("known.json")) == 0
    with (repo / ".drgen.yaml").open("a", encoding="utf-8") as config:
        config.write("baseline: known.json\n")
    assert lint("infra") == 0


def test_list_suppressions_shows_expiry(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint("infra", list_suppressions=True, today=date(2026, 11, 26)) == 0
    assert capsys.readouterr().out == (
        "app/main.tf:15  ACME002  until 2030-01-01 (active)  scratch space, rebuilt by CI\n"
        "1 suppression(s), 0 expired.\n"
    )
    lint("infra", list_suppressions=True, today=date(2030, 1, 2))
    assert "(EXPIRED)" in capsys.readouterr().out


def test_parse_errors_exit_2_and_the_rest_is_linted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "infra" / "app" / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n', "utf-8")
    capsys.readouterr()
    assert lint("infra", formats=["json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert [e["file"] for e in document["errors"]] == ["app/broken.tf"]
    assert {f["rule_id"] for f in document["findings"]} == {"ACME001", "ACME002"}


def test_empty_folder_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(str(tmp_path)) == 0
    assert "0 finding(s)" in capsys.readouterr().out


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the keyword arguments run_lint passes to the policy engine."""
    calls: list[dict[str, Any]] = []

    def fake_lint_project(project: object, policies: object, **kwargs: Any) -> list[object]:
        calls.append(kwargs)
        return []

    monkeypatch.setattr("drgen.lint.engine.run.lint_project", fake_lint_project)
    return calls


def test_objectives_flag_beats_spec_and_config(
    repo: Path, engine_calls: list[dict[str, Any]]
) -> None:
    from drgen.spec.model import Objectives

    sample = Path(__file__).parents[1] / "samples" / "warm-standby.yaml"
    with (repo / ".drgen.yaml").open("a", encoding="utf-8") as config:
        config.write("objectives: {rpo: 4h, rto: 1d}\nstrict: true\n")
    lint("infra")
    lint("infra", objectives="rpo=5m,rto=30m")
    lint("infra", spec=sample)
    assert [call["objectives"] for call in engine_calls] == [
        Objectives("4h", "1d"),
        Objectives("5m", "30m"),
        Objectives("15m", "1h"),  # samples/warm-standby.yaml's objectives
    ]
    assert all(call["strict"] for call in engine_calls)
    assert engine_calls[0]["enabled"] == frozenset({"ACME001", "ACME002"})


def test_bad_objectives_flag_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(DrgenError) as caught:
        lint("infra", objectives="rpo=soon")
    assert "rpo=15m,rto=1h" in caught.value.format()


def test_cli_reports_a_bad_config_as_located_error_with_exit_2(repo: Path) -> None:
    import subprocess
    import sys

    (repo / ".drgen.yaml").write_text("min_severity: urgent\n", encoding="utf-8")
    checkout = Path(__file__).resolve().parents[1]
    completed = subprocess.run(
        [sys.executable, "-m", "drgen", "lint", "infra"],
        cwd=repo,
        env={"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith(".drgen.yaml:1:15: ")
    assert "fix: use one of: low, medium, high, critical" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_unwritable_output_is_a_usage_error(repo: Path) -> None:
    (repo / "taken").write_text("a file, not a folder\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        lint("infra", formats=["json", "sarif"], output_dir=Path("taken/reports"))
    assert "cannot write" in caught.value.format()
    with pytest.raises(DrgenError):
        lint("infra", write_baseline=Path("taken/baseline.json"))


def test_reports_and_baselines_never_write_through_a_symlink(repo: Path) -> None:
    (repo / "victim.txt").write_text("keep me\n", encoding="utf-8")
    (repo / "report.json").symlink_to("victim.txt")
    (repo / "baseline.json").symlink_to("victim.txt")
    for options in (
        {"formats": ["json"], "output": Path("report.json")},
        {"write_baseline": Path("baseline.json")},
    ):
        with pytest.raises(DrgenError, match="is a symbolic link"):
            lint("infra", **options)
    assert (repo / "victim.txt").read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("linted", [["infra"], ["."], ["infra/app"]])
def test_baseline_is_independent_of_the_path_given_to_lint(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    assert lint("infra", write_baseline=Path("baseline.json")) == 0
    document = lint_json(capsys, *linted, baseline=Path("baseline.json"))
    assert document["summary"]["baselined"] == 2
    assert lint(*linted, baseline=Path("baseline.json")) == 0


def test_soft_fail_exits_0_and_still_writes_every_report(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    formats = ["json", "sarif", "github", "junit", "gitlab", "markdown", "text"]
    reports = Path("reports")
    assert lint("infra", formats=formats, output_dir=reports, soft_fail=True) == 0
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        ["drgen.json", "drgen.sarif", "drgen-github.txt", "drgen.xml", "drgen-gitlab.json",
         "drgen.md", "drgen.txt"]
    )  # fmt: skip
    assert json.loads((reports / "drgen.json").read_text(encoding="utf-8"))["summary"]["findings"]
    assert "--soft-fail" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"hard_fail_on": ["ACME002"]}, 1),  # only ACME002 fails, and it is found
        ({"hard_fail_on": ["critical"]}, 0),  # nothing critical
        ({"hard_fail_on": ["acme00*"], "soft_fail": True}, 1),  # hard wins over soft
        ({"soft_fail_on": ["ACME*"]}, 0),
        ({"soft_fail_on": ["low"]}, 1),  # ACME001 is high
        ({"soft_fail_on": ["high"]}, 0),  # high and below
        ({"checks": ["ACME002"], "soft_fail_on": ["ACME002"]}, 0),
        ({"skip_checks": ["ACME001"]}, 1),  # ACME002 (low) still fails at min low
        ({"skip_checks": ["ACME001"], "min_severity": "medium"}, 0),
    ],
)
def test_exit_code_controls(repo: Path, options: dict[str, Any], code: int) -> None:
    assert lint("infra", **options) == code


def test_check_selects_with_wildcards(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = lint_json(capsys, "infra", checks=["acme001"])
    assert {f["rule_id"] for f in document["findings"]} == {"ACME001"}
    document = lint_json(capsys, "infra", checks=["ACME*"], skip_checks=["ACME001"])
    assert {f["rule_id"] for f in document["findings"]} == {"ACME002"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"checks": ["ACME01"]}, "--check: 'ACME01' names no policy"),
        ({"skip_checks": ["ACME003"]}, "did you mean ACME00"),
        ({"hard_fail_on": ["urgent"]}, "or a severity"),
        ({"soft_fail_on": ["XX*"]}, "'XX*' names no policy"),
    ],
)
def test_unknown_ids_are_usage_errors(repo: Path, options: dict[str, Any], message: str) -> None:
    with pytest.raises(DrgenError) as caught:
        lint("infra", **options)
    assert message in caught.value.format()
    assert caught.value.exit_code == 2


def test_unknown_id_in_the_config_names_the_file_and_key(repo: Path) -> None:
    (repo / ".drgen.yaml").write_text(
        "policies: {enable: [ACME001, DR009X], dirs: [policies]}\n", encoding="utf-8"
    )
    with pytest.raises(DrgenError) as caught:
        lint("infra")
    (problem,) = caught.value.problems
    assert problem.file is not None and problem.file.endswith(".drgen.yaml")
    assert problem.json_path == "$.policies.enable[1]"
    assert "did you mean DR009?" in (problem.hint or "")


def test_config_soft_fail_keys(repo: Path) -> None:
    (repo / ".drgen.yaml").write_text(
        "policies: {enable: [ACME001, ACME002], dirs: [policies]}\nsoft_fail: true\n",
        encoding="utf-8",
    )
    assert lint("infra") == 0
    assert lint("infra", hard_fail_on=["ACME001"]) == 1


def test_require_modules_fails_when_a_call_is_not_analysed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "infra" / "app" / "vpc.tf").write_text(
        'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n',
        encoding="utf-8",
    )
    reports = Path("reports")
    assert lint("infra", formats=["json", "markdown"], output_dir=reports) == 1
    assert lint("infra", formats=["json", "markdown"], output_dir=reports,
                require_modules=True) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "--require-modules: 1 module call(s) not analysed" in err
    assert "app:module.vpc (terraform-aws-modules/vpc/aws)" in err and "terraform init" in err
    document = json.loads((reports / "drgen.json").read_text(encoding="utf-8"))
    assert document["summary"]["not_analysed"] == ["app:module.vpc (terraform-aws-modules/vpc/aws)"]
    assert "**1 module call not analysed**" in (reports / "drgen.md").read_text(encoding="utf-8")
