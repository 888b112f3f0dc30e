"""Policy tests as data: every tests/fixtures/policies/<ID>/<case>/ and every policy's examples.

A case folder holds Terraform (main.tf, more files, local modules) and expected.yaml:

    strict: false            # optional, run with --strict
    today: 2026-06-01        # optional, the date suppression expiry is judged on
    rules: [DR010, DR000]    # optional, which rules to compare (default: the folder's id)
    findings:                # exactly these findings of those rules, in any order
      - {rule: DR010, address: aws_dynamodb_table.carts, line: 5, suppressed: false,
         root: ., file: main.tf, severity: high, message_contains: "..."}
    # root and file default to . and main.tf; severity and message_contains are optional
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from drgen.findings import Finding
from drgen.lint.engine.catalog import Policy, load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
CASES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.yaml"))
POLICIES = load_policies()
TODAY = date(2026, 6, 1)


def _lint(folder: Path, *, strict: bool = False, today: date = TODAY) -> list[Finding]:
    project, errors = build_project([folder], use_cache=False)
    assert errors == [], f"fixture does not parse: {errors}"
    return lint_project(project, POLICIES, strict=strict, today=today)


def _identity(finding: Finding) -> tuple[str, str, str, str, int, bool]:
    return (
        finding.rule_id,
        finding.root,
        finding.file,
        finding.resource,
        finding.line,
        finding.suppressed,
    )


def _expected(entry: dict[str, Any]) -> tuple[str, str, str, str, int, bool]:
    return (
        entry["rule"],
        str(entry.get("root", ".")),
        entry.get("file", "main.tf"),
        entry["address"],
        int(entry["line"]),
        bool(entry["suppressed"]),
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_reports_exactly_the_expected_findings(case: Path) -> None:
    spec = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8")) or {}
    rules = set(spec.get("rules", [case.parent.name]))
    findings = [
        f
        for f in _lint(case, strict=bool(spec.get("strict")), today=spec.get("today", TODAY))
        if f.rule_id in rules
    ]
    expected = spec.get("findings") or []
    assert sorted(map(_identity, findings)) == sorted(map(_expected, expected))
    for finding in findings:
        assert finding.resource in finding.message, "a message names the resource"
    for entry in expected:
        same = [f for f in findings if _identity(f) == _expected(entry)]
        if "message_contains" in entry:
            assert any(entry["message_contains"] in f.message for f in same), same
        if "severity" in entry:
            assert {f.severity.value for f in same} == {entry["severity"]}


def _example_ids(policy: Policy) -> list[Any]:
    return [
        pytest.param(policy, "failing", id=f"{policy.id}-failing"),
        pytest.param(policy, "passing", id=f"{policy.id}-passing"),
    ]


@pytest.mark.parametrize(
    ("policy", "kind"), [p for policy in POLICIES for p in _example_ids(policy)]
)
def test_embedded_example(policy: Policy, kind: str, tmp_path: Path) -> None:
    """The doc page's failing example fails the policy; its passing example does not."""
    text = policy.failing_example if kind == "failing" else policy.passing_example
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    unresolved_only = policy.check == "unresolved-facts"  # DR009 speaks only under --strict
    mine = [
        f
        for f in _lint(tmp_path, strict=unresolved_only)
        if f.rule_id == policy.id and not f.suppressed
    ]
    if kind == "failing":
        assert mine, f"{policy.id}'s failing example produced no {policy.id} finding"
    else:
        assert mine == [], f"{policy.id}'s passing example fails: {mine}"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_passing_example_is_clean_for_the_whole_catalog(policy: Policy, tmp_path: Path) -> None:
    """A user who copies "Use instead" gets no finding of any policy, unknowns included."""
    (tmp_path / "main.tf").write_text(policy.passing_example, encoding="utf-8")
    findings = [
        f"{f.rule_id} {f.resource}: {f.message}"
        for f in _lint(tmp_path, strict=True)
        if not f.suppressed
    ]
    assert findings == []
