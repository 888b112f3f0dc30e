"""Meta-tests on the policy catalog, policy-file validation and `drgen policies list|show`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drgen.domain import Severity
from drgen.errors import DrgenError, ExitCode
from drgen.lint.cli.policy_command import run_policies_list, run_policies_show
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.registry import CHECKS
from drgen.lint.engine.run import UNRESOLVED_CHECK
from drgen.resources import data_dir

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
POLICIES = load_policies()
ISSUE_CATALOG = {
    "DR000": "medium",
    "DR001": "high",
    "DR002": "high",
    "DR003": "high",
    "DR004": "high",
    "DR005": "high",
    "DR006": "medium",
    "DR007": "medium",
    "DR008": "medium",
    "DR009": "low",
    "DR010": "critical",
    "DR011": "high",
    "DR013": "medium",
    "DR014": "medium",
}


def test_catalog_has_every_policy_of_the_issue_with_its_severity() -> None:
    found = {p.id: p.severity.value for p in POLICIES}
    assert {k: found.get(k) for k in ISSUE_CATALOG} == ISSUE_CATALOG


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_policy_file_is_named_by_its_id_and_documented(policy: object) -> None:
    from drgen.lint.engine.catalog import Policy

    assert isinstance(policy, Policy)
    assert re.fullmatch(rf"{policy.id}-[a-z0-9-]+\.yaml", policy.source.name)
    assert policy.rationale and policy.remediation
    assert policy.failing_example.strip() and policy.passing_example.strip()
    assert policy.check in CHECKS or policy.check == UNRESOLVED_CHECK


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_policy_has_failing_and_passing_fixture_cases(policy: object) -> None:
    from drgen.lint.engine.catalog import Policy

    assert isinstance(policy, Policy)
    folders = [p for p in (FIXTURES / policy.id).iterdir() if any(p.glob("*.tf"))]
    assert len(folders) >= 2, f"{policy.id} needs a failing and a passing fixture case"
    # cases in this suite's format say in their name which side they are on (DR020 keeps the
    # objectives engineer's own case.yaml format, run by tests/test_objectives_lint.py)
    cases = [p.name for p in folders if (p / "expected.yaml").exists()]
    if cases:
        assert any(c.startswith(("failing", "suppressed")) for c in cases), cases
        assert any(c.startswith("passing") for c in cases), cases


def test_every_fixture_folder_belongs_to_a_policy() -> None:
    ids = {p.id for p in POLICIES}
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= ids


def test_registry_has_no_unused_checks() -> None:
    used = {p.check for p in POLICIES}
    assert set(CHECKS) <= used, f"checks no policy names: {set(CHECKS) - used}"


def test_every_builtin_file_in_the_folder_loads() -> None:
    names = {p.name for p in data_dir("policies").glob("DR*.yaml")}
    assert names == {p.source.name for p in POLICIES}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


USER_POLICY = """\
id: ACME001
title: Database without deletion protection
severity: low
rationale: A database anyone can delete with one apply loses every recovery point.
remediation: Set deletion_protection = true on the database.
match:
  resource_types: [aws_db_instance]
  conditions:
    - attribute: deletion_protection
      not_equals: true
examples:
  failing: |
    resource "aws_db_instance" "a" {}
  passing: |
    resource "aws_db_instance" "a" {
      deletion_protection = true
    }
"""


def test_user_policies_load_from_an_extra_folder(tmp_path: Path) -> None:
    _write(tmp_path, "ACME001-database-without-deletion-protection.yaml", USER_POLICY)
    _write(
        tmp_path,
        "ACME002-critical-writes.yaml",
        USER_POLICY.replace("ACME001", "ACME002")
        .replace("severity: low", "severity: critical")
        .split("match:")[0]
        + "check: multi-region-writes\n"
        + "examples:"
        + USER_POLICY.split("examples:")[1],
    )
    by_id = {p.id: p for p in load_policies([tmp_path])}
    assert by_id["ACME001"].match is not None and not by_id["ACME001"].builtin
    assert by_id["ACME002"].check == "multi-region-writes"
    assert by_id["ACME002"].severity is Severity.CRITICAL


def test_bad_user_policy_is_a_located_error(tmp_path: Path) -> None:
    bad = USER_POLICY.replace("severity: low", "severity: urgent")
    path = _write(tmp_path, "ACME001-database-without-deletion-protection.yaml", bad)
    with pytest.raises(DrgenError) as caught:
        load_policies([tmp_path])
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert (problem.line, problem.column) == (3, 11)
    assert problem.json_path == "$.severity"
    assert "urgent" in problem.message and problem.hint


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("ACME001-x.yaml", USER_POLICY.replace("id: ACME001", "id: ACME009"), "must start with"),
        ("ACME001-x.yaml", USER_POLICY.replace("match:", "check: nope\nmatch:"), "exactly one of"),
        (
            "ACME001-x.yaml",
            USER_POLICY.split("match:")[0]
            + "check: nope\nexamples:"
            + USER_POLICY.split("examples:")[1],
            "unknown check 'nope'",
        ),
        ("ACME001-x.yaml", "id: [unclosed", "malformed YAML"),
        ("DR001-duplicate.yaml", USER_POLICY.replace("ACME001", "DR001"), "already defined"),
    ],
)
def test_policy_file_errors(tmp_path: Path, name: str, text: str, expected: str) -> None:
    _write(tmp_path, name, text)
    with pytest.raises(DrgenError) as caught:
        load_policies([tmp_path])
    assert any(expected in p.message for p in caught.value.problems), caught.value.format()


def test_check_and_match_together_point_at_the_second(tmp_path: Path) -> None:
    text = USER_POLICY.replace("match:", "check: multi-region-writes\nmatch:")
    _write(tmp_path, "ACME001-x.yaml", text)
    with pytest.raises(DrgenError) as caught:
        load_policies([tmp_path])
    (problem,) = caught.value.problems
    assert problem.json_path == "$.match"
    assert problem.line == text.splitlines().index("match:") + 1
    assert problem.hint == "keep only one of them"


def test_duplicate_keys_in_a_policy_are_refused(tmp_path: Path) -> None:
    text = USER_POLICY.replace("severity: low", "severity: low\nseverity: high")
    _write(tmp_path, "ACME001-x.yaml", text)
    with pytest.raises(DrgenError) as caught:
        load_policies([tmp_path])
    (problem,) = caught.value.problems
    assert problem.message == "duplicate key 'severity' (first written at line 3)"
    assert (problem.line, problem.json_path) == (4, "$.severity")


def test_condition_operand_type_names_every_allowed_type(tmp_path: Path) -> None:
    text = USER_POLICY.replace("not_equals: true", "equals: [1]")
    _write(tmp_path, "ACME001-x.yaml", text)
    with pytest.raises(DrgenError) as caught:
        load_policies([tmp_path])
    (problem,) = caught.value.problems
    assert problem.message == "expected a string or a number or true or false, got a list"
    assert problem.json_path == "$.match.conditions[0].equals"
    assert problem.line == text.splitlines().index("      equals: [1]") + 1
    assert problem.hint == "see schemas/policy.schema.json for the format"


def test_missing_policies_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DrgenError, match="does not exist"):
        load_policies([tmp_path / "absent"])


def test_policies_list_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_policies_list([]) == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "TITLE"]
    assert [line.split()[0] for line in lines[1:]] == [p.id for p in POLICIES]
    assert any(line.startswith("DR010  critical  Unguarded multi-region writes") for line in lines)


def test_policies_show_prints_the_doc_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_policies_show("dr010", []) == ExitCode.OK
    page = capsys.readouterr().out
    assert page.startswith("DR010: Unguarded multi-region writes\n")
    headings = [
        "Severity: critical",
        "What it does",
        "Why is this bad",
        "Example (failing)",
        "Use instead (passing)",
        "How to fix",
    ]
    positions = [page.index(h) for h in headings]
    assert positions == sorted(positions)
    assert 'region_name = "eu-west-1"' in page


def test_policies_show_unknown_id_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_policies_show("DR999", []) == ExitCode.USAGE
    error = capsys.readouterr().err
    assert "unknown policy 'DR999'" in error and "DR010" in error


def test_policies_show_includes_user_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "ACME001-database-without-deletion-protection.yaml", USER_POLICY)
    assert run_policies_show("ACME001", [tmp_path]) == ExitCode.OK
    page = capsys.readouterr().out
    assert "declarative match" in page
    assert "Matches aws_db_instance where deletion_protection not equals True.\n" in page
