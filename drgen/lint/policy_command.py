"""`drgen policies list` and `drgen policies show ID`: the catalog and its doc pages."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from drgen.errors import ExitCode
from drgen.lint.policies import Match, Policy, load_policies


def run_policies_list(policies_dirs: list[Path]) -> int:
    print(policies_table(load_policies(policies_dirs)), end="")
    return ExitCode.OK


def run_policies_show(policy_id: str, policies_dirs: list[Path]) -> int:
    policies = load_policies(policies_dirs)
    found = next((p for p in policies if p.id == policy_id.strip().upper()), None)
    if found is None:
        known = ", ".join(p.id for p in policies)
        print(f"unknown policy {policy_id!r}; known policies: {known}", file=sys.stderr)
        return ExitCode.USAGE
    print(policy_page(found), end="")
    return ExitCode.OK


def policies_table(policies: list[Policy]) -> str:
    rows = [("ID", "SEVERITY", "TITLE")] + [(p.id, p.severity.value, p.title) for p in policies]
    id_width = max(len(r[0]) for r in rows)
    severity_width = max(len(r[1]) for r in rows)
    return "".join(
        f"{i:<{id_width}}  {severity:<{severity_width}}  {title}\n" for i, severity, title in rows
    )


def policy_page(policy: Policy) -> str:
    """The doc page: title, severity, Why, How to fix, failing and passing example."""
    origin = "built-in" if policy.builtin else f"from {policy.source}"
    runs = f"check {policy.check}" if policy.check else "declarative match"
    sections = [
        f"{policy.id}: {policy.title}\n",
        f"Severity: {policy.severity.value} (default; override it per id in the configuration)\n"
        f"Source: {origin}, {runs}\n",
        _section("Why", policy.rationale),
        _section("How to fix", policy.remediation),
        *([_section("Matches", _match_text(policy.match))] if policy.match else []),
        _section("Failing example", policy.failing_example),
        _section("Passing example", policy.passing_example),
    ]
    return "\n".join(sections)


def _match_text(match: Match) -> str:
    conditions = [
        f"{c.attribute} {c.test.replace('_', ' ')}"
        + ("" if c.operand is None else f" {c.operand!r}")
        for c in match.conditions
    ]
    return f"{', '.join(match.resource_types)} where " + " and ".join(conditions)


def _section(heading: str, body: str) -> str:
    return f"{heading}\n{textwrap.indent(body.strip(), '    ')}\n"
