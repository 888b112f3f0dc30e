"""DR020: a stateful resource whose cross-region copies cannot meet its RPO/RTO target.

Targets come from the resource's ``drgen:rpo`` / ``drgen:rto`` tags, else from ``--objectives``
or ``--spec`` (CheckContext.objectives); a resource with neither is not judged. Estimates are
the typical figures of the best recovery path (drgen.objectives.from_terraform); the RTO adds
the entries of assess's failover timeline the stack holds facts for (detection, decision, DNS
TTL: drgen.objectives.stack_timeline). Each judged resource gets at most one finding naming
what it achieves against each target; a resource with no cross-region copy at all is reported
by its no-copy policy, which DR020 names instead of repeating. When a path drgen could not
resolve might still meet the target, the case is unresolved (``--strict``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from drgen.domain import RPO_TAG, RTO_TAG, parse_duration
from drgen.lint.checks.never_copied import reports_dr_copy
from drgen.lint.checks.roles import LOCK, LOG, role
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root
from drgen.objectives.backup_paths import RecoveryPath
from drgen.objectives.from_terraform import (
    STATEFUL_TYPES,
    ResourceEstimate,
    estimate_resource,
    is_copy,
)
from drgen.objectives.options import cheapest_option
from drgen.objectives.report import human_duration
from drgen.objectives.stack_timeline import StackEntry, stack_entries

Target = tuple[int, str]  # seconds, where it was declared

# The policy that reports a resource of this type with no copy outside its region.
NO_COPY_POLICY = {
    "aws_s3_bucket": "DR001",
    "aws_dynamodb_table": "DR004",
    "aws_db_instance": "DR003",
    "aws_rds_cluster": "DR003",
    "aws_ebs_volume": "DR006",
}


def check_objectives_met(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """At most one finding per resource: its estimate against its targets, an objective tag
    it cannot read, or both."""
    stack: list[tuple[StackEntry, ...]] = []
    for resource in root.of_type(*STATEFUL_TYPES):
        if is_copy(root, resource) or role(root, resource) in (LOG, LOCK):
            continue
        rpo, rto, bad = _targets(resource, ctx)
        verdict = None
        if rpo is not None or rto is not None:
            if not stack:
                stack.append(stack_entries(root, ctx.decision_seconds))
            verdict = _judge(
                root, resource, rpo, rto, stack[0], reports_dr_copy(root, resource, ctx)
            )
        if verdict is not None and verdict.unresolved:
            yield verdict  # dropped unless --strict: an unreadable tag is still reported
            verdict = None
        where = _where(resource)
        unread = "; ".join(
            f"tag {tag} = {value!r} is not a duration like 15m, 4h or 1d" for tag, value in bad
        )
        if verdict is not None:
            yield replace(
                verdict, message=f"{where}: {verdict.message}{f'; {unread}' if bad else ''}."
            )
        elif bad:
            yield Violation(
                resource,
                f"{where}: {unread}; DR020 cannot judge this objective.",
                line=resource.body.line_of("tags"),
                kind="bad-objective-tag:" + "+".join(tag for tag, _ in bad),
            )


def _judge(
    root: Root,
    resource: Resource,
    rpo: Target | None,
    rto: Target | None,
    stack: tuple[StackEntry, ...],
    dr_copy: bool,
) -> Violation | None:
    """The estimate's finding (its message without the address), or None when it meets every
    target (``dr_copy``: DR037 reports the resource's missing data)."""
    estimate = estimate_resource(root, resource)
    verdicts = _verdicts(estimate, rpo, rto, stack)
    if all(met for met, _ in verdicts):
        return None
    if estimate.unknowns:
        return Violation(
            resource,
            f"{_where(resource)}: cannot estimate RPO/RTO without {'; '.join(estimate.unknowns)}",
            unresolved=True,
            kind="undecided-estimate",
        )
    overhead = sum(entry.seconds for entry in stack)
    fix = cheapest_option(resource.type, rpo[0] if rpo else None, rto[0] if rto else None, overhead)
    said = (
        "; ".join(t for _, t in verdicts)
        if estimate.paths
        else _no_copy(resource, rpo, rto, dr_copy)
    )
    return Violation(resource, f"{said}; fix: {fix}", kind="objectives-missed")


def _targets(
    resource: Resource, ctx: CheckContext
) -> tuple[Target | None, Target | None, list[tuple[str, str]]]:
    """Per-resource tags win over the run's objectives, key by key; tags that are no duration
    come back as (tag, value)."""
    bad: list[tuple[str, str]] = []
    found: list[Target | None] = []
    for tag, fallback in (
        (RPO_TAG, ctx.objectives.rpo_seconds if ctx.objectives else None),
        (RTO_TAG, ctx.objectives.rto_seconds if ctx.objectives else None),
    ):
        value = resource.tags.get(tag)
        if value is None:
            found.append((fallback, "--objectives/--spec") if fallback is not None else None)
            continue
        try:
            found.append((parse_duration(value), f"tag {tag}"))
        except ValueError:
            found.append(None)
            bad.append((tag, value))
    return found[0], found[1], bad


def _verdicts(
    estimate: ResourceEstimate,
    rpo: Target | None,
    rto: Target | None,
    stack: tuple[StackEntry, ...],
) -> list[tuple[bool, str]]:
    """(met, words) for each target given: the best path's estimate against it."""
    found = []
    if rpo is not None:
        path = estimate.best_rpo
        found.append(_verdict("RPO", rpo, path, path.rpo.typical if path else None, ()))
    if rto is not None:
        path = estimate.best_rto
        step = path.rto.typical if path else None
        seconds = None if step is None else step + sum(e.seconds for e in stack)
        same = rpo is not None and path is not None and path is estimate.best_rpo
        found.append(_verdict("RTO", rto, path, seconds, stack, "the same path" if same else ""))
    return found


def _verdict(
    name: str,
    target: Target,
    path: RecoveryPath | None,
    seconds: int | None,
    stack: tuple[StackEntry, ...],
    basis: str = "",
) -> tuple[bool, str]:
    goal, declared = target
    if path is None or seconds is None:
        return False, f"{name} target {human_duration(goal)} ({declared}) cannot be met"
    via = " + ".join((basis or path.basis, *(entry.label for entry in stack)))
    met = seconds <= goal
    return met, (
        f"estimated {name} {human_duration(seconds)} via {via} "
        f"{'meets' if met else 'misses'} the target {human_duration(goal)} ({declared})"
    )


def _no_copy(resource: Resource, rpo: Target | None, rto: Target | None, dr_copy: bool) -> str:
    """The estimate of a resource with no cross-region copy, without repeating the policy
    that reports the missing copy (it is named instead: DR037 for a DR copy it judges)."""
    targets = " and ".join(
        f"{name} {human_duration(t[0])} ({t[1]})"
        for name, t in (("RPO", rpo), ("RTO", rto))
        if t is not None
    )
    region = resource.region or "its region"
    reported = (
        "DR037 reports that nothing copies into this DR copy"
        if dr_copy
        else f"{NO_COPY_POLICY[resource.type]} reports the missing copy"
    )
    return (
        f"a loss of {region} leaves nothing to recover from ({reported}), so no estimate "
        f"meets the target {targets}"
    )


def _where(resource: Resource) -> str:
    return f"{resource.address} ({resource.region or 'region unknown'})"
