"""Run the policies over every root and turn their violations into findings.

A check yields ``Violation``s; the engine owns everything users configure around them:
severity overrides, enabled/skipped ids, ``--strict`` unknowns (DR009) and suppressions
(reason required, ``until=`` expiry) and the configuration's exemptions
(drgen.lint.engine.exemptions).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from drgen.domain import DEFAULT_RETENTION_FLOOR_DAYS, Severity
from drgen.findings import Finding
from drgen.lint.engine.call_sites import call_site
from drgen.lint.engine.catalog import Policy
from drgen.lint.model.roots import Project, Resource, Root, Suppression
from drgen.spec.model import Objectives

if TYPE_CHECKING:
    from drgen.lint.engine.exemptions import Exemption

UNRESOLVED_CHECK = "unresolved-facts"  # the engine itself reports these (DR009 built-in)


@dataclass(frozen=True)
class CheckContext:
    strict: bool = False
    objectives: Objectives | None = None
    today: date = field(default_factory=date.today)
    policy_ids: frozenset[str] = frozenset()  # every loaded id, for suppressions naming unknown ids
    # the checks of the policies this run reports (a check that defers to another asks)
    active_checks: frozenset[str] = frozenset()
    # ``failover.decision_time`` of the --spec (0: automatic failover); None: not known (DR020)
    decision_seconds: int | None = None
    retention_floor_days: int = DEFAULT_RETENTION_FLOOR_DAYS  # DR038


@dataclass(frozen=True)
class Violation:
    """One problem a check found. ``unresolved`` marks a fact drgen could not establish:
    dropped normally, reported as its own finding under ``--strict``."""

    resource: Resource | None
    message: str  # what is wrong, where (address) and the fix
    line: int | None = None  # defaults to the resource's block line
    severity: Severity | None = None  # this case's severity when it differs from the policy's
    unresolved: bool = False
    file: str | None = None  # for violations attached to no resource
    # which problem of the policy this is, a stable slug ("no-final-snapshot"; never a line):
    # tells apart two findings of one policy on one resource in baselines and SARIF
    kind: str = ""


Check = Callable[[Root, CheckContext], Iterable[Violation]]


def lint_project(
    project: Project,
    policies: list[Policy],
    *,
    strict: bool = False,
    objectives: Objectives | None = None,
    today: date | None = None,
    severity_overrides: Mapping[str, Severity] | None = None,
    enabled: Collection[str] | None = None,
    skip: Collection[str] = (),
    decision_seconds: int | None = None,
    exemptions: Sequence[Exemption] = (),
    retention_floor_days: int = DEFAULT_RETENTION_FLOOR_DAYS,
) -> list[Finding]:
    """Findings for every root, sorted; waived ones come back with ``suppressed=True``.

    ``enabled`` (None = all) and ``skip`` select policy ids; ``severity_overrides`` replace a
    policy's severity, including the per-case severity a check may set; ``exemptions`` (their
    rules resolved) waive what an inline suppression does not; ``retention_floor_days`` is the
    fewest days DR038 accepts a recovery point being kept.
    """
    active = [p for p in policies if (enabled is None or p.id in enabled) and p.id not in skip]
    ctx = CheckContext(
        strict=strict,
        objectives=objectives,
        today=today or date.today(),
        policy_ids=frozenset(p.id for p in policies),
        decision_seconds=decision_seconds,
        active_checks=frozenset(p.check for p in active if p.check is not None),
        retention_floor_days=retention_floor_days,
    )
    unresolved_policy = next((p for p in active if p.check == UNRESOLVED_CHECK), None)
    overrides = dict(severity_overrides or {})
    found: set[Finding] = set()
    waive = _Waivers(ctx.today, tuple(exemptions))
    for root in project.roots:
        for policy in active:
            for violation in _violations(policy, root, ctx):
                if not violation.unresolved:
                    found.add(_finding(policy, violation, root, waive, overrides))
                elif strict and unresolved_policy is not None:
                    found.add(
                        _finding(unresolved_policy, violation, root, waive, overrides, policy)
                    )
        if strict and unresolved_policy is not None:
            for incomplete in root.incomplete:  # a budget ran out: later values are unknown
                violation = Violation(
                    root.by_address(incomplete.address),
                    incomplete.message,
                    incomplete.line,
                    file=incomplete.file,
                )
                found.add(_finding(unresolved_policy, violation, root, waive, overrides))
    found |= _unattached(project, active, ctx, overrides)
    return sorted(found, key=lambda f: (*f.sort_key(), f.root, f.message))


def _unattached(
    project: Project, active: list[Policy], ctx: CheckContext, overrides: Mapping[str, Severity]
) -> set[Finding]:
    """Suppression comments next to no resource block, reported by the suppressions policy."""
    from drgen.lint.checks.suppressions import SUPPRESSIONS_CHECK, unattached_violations

    root = Root(directory=".")
    return {
        _finding(policy, violation, root, _Waivers(ctx.today), overrides)
        for policy in active
        if policy.check == SUPPRESSIONS_CHECK
        for suppression in project.unattached_suppressions
        for violation in unattached_violations(suppression, ctx)
    }


def _violations(policy: Policy, root: Root, ctx: CheckContext) -> Iterable[Violation]:
    from drgen.lint.checks.declarative import match_violations
    from drgen.lint.engine.registry import CHECKS

    if policy.match is not None:
        return match_violations(policy, root)
    if policy.check is None or policy.check == UNRESOLVED_CHECK:
        return ()
    return CHECKS[policy.check](root, ctx)


@dataclass(frozen=True)
class _Waivers:
    """What can waive a finding: its resource's suppression comments, the config's exemptions."""

    today: date
    exemptions: tuple[Exemption, ...] = ()


def _finding(
    policy: Policy,
    violation: Violation,
    root: Root,
    waive: _Waivers,
    overrides: Mapping[str, Severity],
    undecided: Policy | None = None,
) -> Finding:
    resource = violation.resource
    message = violation.message
    if undecided is not None:
        message = f"{undecided.id} cannot decide: {message}"
    severity = overrides.get(policy.id) or violation.severity or policy.severity
    # an unresolved case is waived with DR009 or with the policy that could not decide
    waivable = {policy.id} | ({undecided.id} if undecided is not None else set())
    suppressed_by: Suppression | None = None
    exempted_by: Exemption | None = None
    today = waive.today
    if resource is not None:
        for suppression in resource.suppressions:
            if waivable.isdisjoint(suppression.rule_ids) or not suppression.reason:
                continue  # a reasonless suppression waives nothing (it is a DR000 finding)
            if suppression.until is not None and suppression.until < today:
                message += f" (suppression expired on {suppression.until.isoformat()})"
                continue
            suppressed_by = suppression
            break
    if resource is not None and suppressed_by is None:
        for exemption in waive.exemptions:
            if not any(exemption.waives(i) for i in waivable) or not exemption.selects(resource):
                continue
            if exemption.until is not None and exemption.until < today:
                message += (
                    f" (exemption {exemption.where} expired on {exemption.until.isoformat()})"
                )
                continue
            exempted_by = exemption
            break
    reason = suppressed_by.reason if suppressed_by is not None else None
    if exempted_by is not None:
        reason = exempted_by.reason
    line = violation.line or (resource.line if resource is not None else 1)
    return Finding(
        rule_id=policy.id,
        severity=severity,
        message=message,
        file=resource.file if resource is not None else violation.file or "",
        line=line,
        resource=resource.address if resource is not None else "",
        root=root.directory,
        suppressed=reason is not None,
        suppression_reason=reason,
        exempted_by=exempted_by.where if exempted_by is not None else "",
        call_site=call_site(root, resource, line) if resource is not None else "",
        kind=violation.kind if undecided is None else f"{undecided.id}:{violation.kind}",
    )
