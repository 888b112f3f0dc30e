"""`drgen policies test DIR`: run each policy's own failing and passing examples.

The failing example must produce at least one finding of its policy, the passing example
none; an example drgen cannot parse, or whose conditions it cannot evaluate, fails with that
reason. Exit 0 when every example behaves, 1 when one does not, 2 for bad policy files.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from drgen.errors import DrgenError, ExitCode, Problem
from drgen.lint.engine.catalog import Policy, load_policies


@dataclass(frozen=True)
class ExampleResult:
    policy: str
    example: str  # "failing" or "passing"
    passed: bool
    detail: str


def run_policies_test(directory: Path) -> int:
    policies = load_policies([directory])
    own = [p for p in policies if not p.builtin]
    if not own:
        raise DrgenError(
            Problem(
                "no policy files here",
                file=str(directory),
                hint="put <ID>-<name>.yaml policy files there (see docs/custom-policies.md)",
            )
        )
    results = [r for policy in own for r in test_policy(policy, policies)]
    for result in results:
        mark = "ok  " if result.passed else "FAIL"
        print(f"{mark} {result.policy} {result.example} example: {result.detail}")
    failed = sum(1 for r in results if not r.passed)
    print(
        f"{len(own)} polic{'y' if len(own) == 1 else 'ies'}, {len(results)} examples, "
        f"{failed} failed"
    )
    return ExitCode.FINDINGS if failed else ExitCode.OK


def test_policy(policy: Policy, catalog: list[Policy]) -> list[ExampleResult]:
    return [
        _run_example(policy, catalog, "failing", policy.failing_example),
        _run_example(policy, catalog, "passing", policy.passing_example),
    ]


def _run_example(policy: Policy, catalog: list[Policy], name: str, hcl: str) -> ExampleResult:
    from drgen.lint.engine.run import lint_project
    from drgen.lint.topology.project import build_project

    with tempfile.TemporaryDirectory(prefix="drgen-policy-") as folder:
        (Path(folder) / "main.tf").write_text(hcl, encoding="utf-8")
        project, errors = build_project([Path(folder)], use_cache=False)
        if errors:
            first = errors[0]
            where = f"line {first.line}, column {first.column}"
            return ExampleResult(
                policy.id, name, False, f"does not parse ({where}): {first.message}"
            )
        unresolved = next((p.id for p in catalog if p.check == "unresolved-facts"), None)
        enabled = {policy.id} | ({unresolved} if unresolved else set())
        findings = lint_project(project, catalog, strict=True, enabled=enabled)
    own = [f for f in findings if f.rule_id == policy.id and not f.suppressed]
    undecided = [f for f in findings if f.rule_id == unresolved and policy.id in f.message]
    if name == "failing":
        if own:
            return ExampleResult(policy.id, name, True, f"{len(own)} finding(s)")
        why = "drgen could not evaluate its conditions" if undecided else "no finding"
        return ExampleResult(policy.id, name, False, f"{why}; expected at least one")
    if own:
        return ExampleResult(policy.id, name, False, f"unexpected finding: {own[0].message}")
    if undecided:
        return ExampleResult(policy.id, name, False, "drgen could not evaluate its conditions")
    return ExampleResult(policy.id, name, True, "no finding")
