"""DR020 fixtures: each folder holds main.tf and case.yaml (objectives, strict, expected).

``expected`` lists ``"<rule> <message start>"`` (messages start with the address) for every
DR020 finding (and every DR009 finding DR020 could not decide), so a fixture pins both which
resources and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project
from drgen.objectives import parse_objectives_option
from drgen.resources import data_dir
from drgen.spec import load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "policies" / "DR020"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "case.yaml").is_file())


def _dr020_findings(folder: Path, objectives: str | None, strict: bool) -> list[str]:
    project, errors = build_project([folder], use_cache=False)
    assert errors == []
    findings = lint_project(
        project,
        [p for p in load_policies() if p.id in ("DR009", "DR020")],
        strict=strict,
        objectives=parse_objectives_option(objectives) if objectives else None,
    )
    return [
        f"{f.rule_id} {f.message}" for f in findings if f.rule_id == "DR020" or "DR020" in f.message
    ]


@pytest.mark.parametrize("case", CASES)
def test_dr020_fixture(case: str) -> None:
    spec = yaml.safe_load((FIXTURES / case / "case.yaml").read_text(encoding="utf-8"))
    found = _dr020_findings(FIXTURES / case, spec["objectives"], bool(spec.get("strict")))
    assert len(found) == len(spec["expected"]), found
    for line, expected in zip(sorted(found), sorted(spec["expected"]), strict=True):
        assert line.startswith(expected), line


def test_unreadable_schedule_is_silent_without_strict() -> None:
    assert _dr020_findings(FIXTURES / "unreadable-schedule", "rpo=1h,rto=1d", False) == []


def test_backup_finding_names_the_cheapest_schedule_that_meets_the_target() -> None:
    [finding] = _dr020_findings(FIXTURES / "backup-daily-vs-rpo-1h", "rpo=4h,rto=1d", False)
    assert (
        'fix: run its cross-region AWS Backup rule every 3h (schedule = "cron(0 */3 * * ? *)")'
        in finding
    )


def test_tags_win_over_the_command_line_objectives() -> None:
    relaxed = _dr020_findings(FIXTURES / "backup-daily-vs-rpo-1h", "rpo=2d,rto=2d", False)
    assert relaxed == []
    tagged = _dr020_findings(FIXTURES / "tags-override", "rpo=2d,rto=2d", False)
    assert [line.split(" (")[0] for line in tagged] == ["DR020 aws_dynamodb_table.payments"]


def test_policy_examples_fail_and_pass(tmp_path: Path) -> None:
    [policy] = [p for p in load_policies() if p.id == "DR020"]
    for name, example, count in (
        ("failing", policy.failing_example, 1),
        ("passing", policy.passing_example, 0),
    ):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(example, encoding="utf-8")
        assert len(_dr020_findings(tmp_path / name, None, strict=True)) == count, name


def _render(sample: Path, target: Path) -> None:
    from drgen.render import render_spec

    for name, text in render_spec(load_spec(sample)).files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("sample", sorted(data_dir("samples").glob("*.yaml")), ids=lambda p: p.stem)
def test_rendered_samples_meet_their_own_objectives_in_lint(sample: Path, tmp_path: Path) -> None:
    """One model, two pipelines: what assess says a spec meets, lint finds met in its Terraform."""
    _render(sample, tmp_path)
    objectives = load_spec(sample).objectives
    assert _dr020_findings(tmp_path, f"rpo={objectives.rpo},rto={objectives.rto}", False) == []


def test_rendered_backup_schedule_misses_a_tighter_rpo_in_lint(tmp_path: Path) -> None:
    _render(data_dir("samples") / "backup-restore.yaml", tmp_path)
    [finding] = _dr020_findings(tmp_path, "rpo=1h,rto=1d", False)
    assert finding.startswith("DR020 aws_db_instance.products_primary ")
    assert "estimated RPO 5h via AWS Backup" in finding and "every 4h" in finding


def test_a_resource_without_copy_gets_one_estimate_beside_its_no_copy_finding() -> None:
    project, _ = build_project([FIXTURES / "no-copy-names-its-policy"], use_cache=False)
    findings = lint_project(
        project,
        [p for p in load_policies() if p.id in ("DR001", "DR020")],
        objectives=parse_objectives_option("rpo=1h,rto=4h"),
    )
    assert [f.rule_id for f in findings] == ["DR001", "DR020"]
    no_copy, estimate = findings
    assert "has no copy in another region" in no_copy.message
    assert "has no copy" not in estimate.message and "add an" not in estimate.message
    assert "(DR001 reports the missing copy)" in estimate.message


def test_the_spec_decision_time_joins_the_rto_timeline() -> None:
    project, _ = build_project([FIXTURES / "stack-timeline"], use_cache=False)
    [finding] = lint_project(
        project,
        [p for p in load_policies() if p.id == "DR020"],
        objectives=parse_objectives_option("rpo=5m,rto=1h"),
        decision_seconds=3600,
    )
    assert "estimated RTO 1h 15m 30s via the same path + detection 30s" in finding.message
    assert "+ decision 1h (failover.decision_time) + DNS TTL 5m" in finding.message


def test_health_checks_and_ttls_that_are_not_literal_are_not_counted(tmp_path: Path) -> None:
    source = (FIXTURES / "stack-timeline" / "main.tf").read_text(encoding="utf-8")
    source = source.replace("request_interval  = 10", "request_interval  = var.interval")
    source = source.replace("failure_threshold = 5", "failure_threshold = var.threshold")
    source = source.replace("ttl            = 300", "ttl            = var.ttl")
    (tmp_path / "main.tf").write_text(source, encoding="utf-8")
    [finding] = _dr020_findings(tmp_path, "rpo=5m,rto=5m", False)
    assert "estimated RTO 11m via the same path + DNS TTL 1m (aws_route53_record.api_primary)" in (
        finding
    )
    assert "detection" not in finding


def test_lint_takes_the_decision_time_from_the_spec_only() -> None:
    from drgen.config import Config
    from drgen.lint.cli.lint_command import LintOptions
    from drgen.lint.cli.settings import merge_settings

    sample = data_dir("samples") / "warm-standby.yaml"
    spec = load_spec(sample)
    with_spec = merge_settings(LintOptions(spec=sample), Config())
    assert with_spec.decision_seconds == spec.failover.decision_seconds == 900
    with_objectives = merge_settings(LintOptions(objectives="rpo=1h,rto=4h"), Config())
    assert with_objectives.decision_seconds is None


def test_every_judged_type_names_the_policy_that_reports_its_missing_copy() -> None:
    from drgen.lint.checks.objectives import NO_COPY_POLICY
    from drgen.objectives.from_terraform import STATEFUL_TYPES

    assert set(NO_COPY_POLICY) == set(STATEFUL_TYPES)
    catalog = {p.id for p in load_policies()}
    assert set(NO_COPY_POLICY.values()) <= catalog
