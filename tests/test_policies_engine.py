"""The engine on hand-built models: suppressions and expiry, overrides, selection, --strict,
roots, and declarative user policies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from drgen.domain import Severity
from drgen.fingerprints import fingerprint
from drgen.lint.engine.catalog import Condition, Match, Policy, load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.model.roots import Block, Expression, Project, Resource, Root, Suppression, Value

POLICIES = load_policies()
TODAY = date(2026, 6, 1)


def _bucket(
    name: str = "assets",
    *,
    region: str | None = "us-east-1",
    suppressions: tuple[Suppression, ...] = (),
    attributes: dict[str, Value] | None = None,
    tags: dict[str, str] | None = None,
) -> Resource:
    body = Block("resource", ("aws_s3_bucket", name), attributes or {}, [], line=3, end_line=5)
    return Resource(
        mode="managed",
        type="aws_s3_bucket",
        name=name,
        module_path=(),
        body=body,
        file="main.tf",
        region=region,
        tags=tags or {},
        suppressions=suppressions,
    )


def _project(*roots: Root) -> Project:
    return Project(base=".", roots=list(roots))


def _ignore(*ids: str, reason: str = "scratch data", until: date | None = None) -> Suppression:
    return Suppression(rule_ids=ids, reason=reason, file="main.tf", line=2, until=until)


def _lint(project: Project, **options: object) -> list[tuple[str, str, bool]]:
    findings = lint_project(project, POLICIES, today=TODAY, **options)  # type: ignore[arg-type]
    return [(f.rule_id, f.resource, f.suppressed) for f in findings]


def test_unsuppressed_bucket_fails_dr001_and_dr014() -> None:
    root = Root(".", [_bucket()])
    assert _lint(_project(root)) == [
        ("DR001", "aws_s3_bucket.assets", False),
        ("DR014", "aws_s3_bucket.assets", False),
    ]


def test_suppression_with_reason_waives_and_keeps_the_reason() -> None:
    root = Root(".", [_bucket(suppressions=(_ignore("DR001", "DR014"),))])
    findings = lint_project(_project(root), POLICIES, today=TODAY)
    assert {(f.rule_id, f.suppressed, f.suppression_reason) for f in findings} == {
        ("DR001", True, "scratch data"),
        ("DR014", True, "scratch data"),
    }


@pytest.mark.parametrize(
    ("until", "suppressed"),
    [(date(2026, 5, 31), False), (TODAY, True), (date(2027, 1, 1), True)],
)
def test_suppression_expires_after_its_until_date(until: date, suppressed: bool) -> None:
    root = Root(".", [_bucket(suppressions=(_ignore("DR001", until=until),))])
    (finding,) = [
        f for f in lint_project(_project(root), POLICIES, today=TODAY) if f.rule_id == "DR001"
    ]
    assert finding.suppressed is suppressed
    assert ("suppression expired on 2026-05-31" in finding.message) is (not suppressed)


def test_reasonless_suppression_waives_nothing_and_is_dr000() -> None:
    root = Root(".", [_bucket(suppressions=(_ignore("DR001", reason=""),))])
    findings = lint_project(_project(root), POLICIES, today=TODAY)
    assert ("DR001", False) in {(f.rule_id, f.suppressed) for f in findings}
    (dr000,) = [f for f in findings if f.rule_id == "DR000"]
    assert (dr000.severity, dr000.line) == (Severity.MEDIUM, 2)
    assert "has no reason" in dr000.message


def test_unknown_policy_id_in_suppression_is_dr000() -> None:
    root = Root(".", [_bucket(suppressions=(_ignore("DR001", "DR777"),))])
    messages = [f.message for f in lint_project(_project(root), POLICIES) if f.rule_id == "DR000"]
    assert len(messages) == 1 and "unknown policy DR777" in messages[0]


def test_unattached_suppression_is_dr000_at_its_line() -> None:
    project = _project(Root(".", []))
    project.unattached_suppressions = [_ignore("DR001")]
    (finding,) = lint_project(project, POLICIES)
    assert (finding.rule_id, finding.file, finding.line, finding.resource) == (
        "DR000",
        "main.tf",
        2,
        "",
    )


def test_severity_overrides_enabled_and_skip() -> None:
    project = _project(Root(".", [_bucket()]))
    findings = lint_project(project, POLICIES, severity_overrides={"DR001": Severity.LOW})
    assert {f.rule_id: f.severity for f in findings}["DR001"] is Severity.LOW
    assert _lint(project, enabled={"DR014"}) == [("DR014", "aws_s3_bucket.assets", False)]
    assert _lint(project, skip={"DR014"}) == [("DR001", "aws_s3_bucket.assets", False)]


def test_override_replaces_a_per_case_severity() -> None:
    table = Resource(
        mode="managed",
        type="aws_dynamodb_table",
        name="t",
        module_path=(),
        body=Block(
            "resource",
            ("aws_dynamodb_table", "t"),
            {"tags": {"drgen:write-mode": "write-global"}},
            [Block("replica", (), {"region_name": "us-west-2"}, [], 9, 11)],
            line=3,
            end_line=12,
        ),
        file="main.tf",
        region="us-east-1",
        tags={"drgen:write-mode": "write-global"},
    )
    project = _project(Root(".", [table]))
    (medium,) = [f for f in lint_project(project, POLICIES) if f.rule_id == "DR004"]
    assert medium.severity is Severity.MEDIUM  # only point-in-time recovery missing
    overridden = lint_project(project, POLICIES, severity_overrides={"DR004": Severity.CRITICAL})
    assert [f.severity for f in overridden if f.rule_id == "DR004"] == [Severity.CRITICAL]


def test_unknown_region_is_silent_unless_strict_where_the_region_decides() -> None:
    # a bucket with no copy anywhere has no copy in another region, whatever its region
    # (DR001); whether the stack spans regions needs the region (DR014)
    project = _project(Root(".", [_bucket(region=None)]))
    assert _lint(project) == [("DR001", "aws_s3_bucket.assets", False)]
    strict = lint_project(project, POLICIES, strict=True)
    assert sorted((f.rule_id, f.severity, f.message.split(":")[0]) for f in strict) == [
        (
            "DR001",
            Severity.HIGH,
            "aws_s3_bucket.assets (region unknown) has no copy in another region",
        ),
        ("DR009", Severity.LOW, "DR014 cannot decide"),
    ]
    assert _lint(project, strict=True, skip={"DR009", "DR001"}) == []


def test_equal_addresses_in_different_roots_are_distinct_findings() -> None:
    project = _project(Root("examples/a", [_bucket()]), Root("examples/b", [_bucket()]))
    findings = [f for f in lint_project(project, POLICIES) if f.rule_id == "DR001"]
    assert [(f.root, f.resource) for f in findings] == [
        ("examples/a", "aws_s3_bucket.assets"),
        ("examples/b", "aws_s3_bucket.assets"),
    ]
    assert len({fingerprint(f, "") for f in findings}) == 2


def _user_policy(*conditions: Condition, message: str | None = None) -> Policy:
    return Policy(
        id="ACME001",
        title="Bucket without an owner",
        severity=Severity.LOW,
        rationale="Unowned buckets are never restored.",
        remediation="Tag the bucket with its owner.",
        failing_example="",
        passing_example="",
        source=Path("ACME001-bucket-without-owner.yaml"),
        match=Match(("aws_s3_bucket",), conditions, message),
        builtin=False,
    )


@pytest.mark.parametrize(
    ("condition", "fails"),
    [
        (Condition("tags.owner", "absent"), True),
        (Condition("tags.team", "absent"), False),
        (Condition("force_destroy", "present"), True),
        (Condition("force_destroy", "equals", True), True),
        (Condition("force_destroy", "equals", "false"), False),
        (Condition("object_lock_enabled", "not_equals", True), True),
        (Condition("bucket", "in", ("a", "logs")), True),
        (Condition("bucket", "not_in", ("a", "logs")), False),
        (Condition("lifecycle.prevent_destroy", "absent"), True),
    ],
)
def test_declarative_conditions(condition: Condition, fails: bool) -> None:
    bucket = _bucket(
        attributes={"force_destroy": True, "bucket": "logs"}, tags={"team": "platform"}
    )
    policy = _user_policy(condition)
    findings = lint_project(_project(Root(".", [bucket])), [policy])
    assert bool(findings) is fails
    if fails:
        assert findings[0].message == (
            "aws_s3_bucket.assets (us-east-1): Bucket without an owner: "
            "Tag the bucket with its owner."
        )


def test_declarative_condition_on_an_expression_is_unknown() -> None:
    bucket = _bucket(attributes={"bucket": Expression("var.name", ("var.name",))})
    policy = _user_policy(Condition("bucket", "equals", "logs"), message="{address} in {region}")
    unresolved = replace(POLICIES[[p.id for p in POLICIES].index("DR009")])
    project = _project(Root(".", [bucket]))
    assert lint_project(project, [policy, unresolved]) == []
    (finding,) = lint_project(project, [policy, unresolved], strict=True)
    assert finding.rule_id == "DR009" and finding.message.startswith("ACME001 cannot decide")


def test_declarative_message_template() -> None:
    policy = _user_policy(Condition("tags.owner", "absent"), message="{address} in {region}")
    (finding,) = lint_project(_project(Root(".", [_bucket()])), [policy])
    assert finding.message == "aws_s3_bucket.assets in us-east-1"


def test_unresolved_case_is_waived_by_the_undecided_policy_or_dr009() -> None:
    for waiver in ("DR014", "DR009"):
        bucket = _bucket(region=None, suppressions=(_ignore(waiver, "DR001"),))
        findings = lint_project(_project(Root(".", [bucket])), POLICIES, strict=True)
        assert {(f.rule_id, f.message.split(":")[0], f.suppressed) for f in findings} == {
            ("DR009", "DR014 cannot decide", True),
            ("DR001", "aws_s3_bucket.assets (region unknown) has no copy in another region", True),
        }
