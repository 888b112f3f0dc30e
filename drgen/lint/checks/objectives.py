"""DR020: a stateful resource whose cross-region copies cannot meet its RPO/RTO target.

Targets come from the resource's ``drgen:rpo`` / ``drgen:rto`` tags, else from ``--objectives``
or ``--spec`` (CheckContext.objectives); a resource with neither is not judged. Estimates are
the typical figures of the best recovery path (drgen.objectives.from_terraform). When a path
drgen could not resolve might still meet the target, the case is unresolved (``--strict``).
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.domain import RPO_TAG, RTO_TAG, parse_duration
from drgen.lint.checks.roles import LOCK, LOG, role
from drgen.lint.engine import CheckContext, Violation
from drgen.lint.model import Resource, Root
from drgen.objectives.backup_paths import RecoveryPath
from drgen.objectives.from_terraform import (
    STATEFUL_TYPES,
    ResourceEstimate,
    estimate_resource,
    is_copy,
)
from drgen.objectives.options import cheapest_option
from drgen.objectives.report import human_duration

Target = tuple[int, str]  # seconds, where it was declared


def check_objectives_met(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for resource in root.of_type(*STATEFUL_TYPES):
        if is_copy(root, resource) or role(root, resource) in (LOG, LOCK):
            continue
        rpo, rto, problems = _targets(resource, ctx)
        yield from problems
        if rpo is None and rto is None:
            continue
        estimate = estimate_resource(root, resource)
        misses = [
            text
            for text in (
                _miss("RPO", rpo, estimate.best_rpo, "rpo"),
                _miss("RTO", rto, estimate.best_rto, "rto"),
            )
            if text
        ]
        if not misses:
            continue
        where = _where(resource)
        if estimate.unknowns:
            yield Violation(
                resource,
                f"{where}: cannot estimate RPO/RTO without {'; '.join(estimate.unknowns)}",
                unresolved=True,
                kind="undecided-estimate",
            )
            continue
        fix = cheapest_option(resource.type, rpo[0] if rpo else None, rto[0] if rto else None)
        yield Violation(
            resource,
            f"{where}: {_copies(estimate)}{'; '.join(misses)}; fix: {fix}.",
            kind="objectives-missed",
        )


def _targets(
    resource: Resource, ctx: CheckContext
) -> tuple[Target | None, Target | None, list[Violation]]:
    """Per-resource tags win over the run's objectives, key by key."""
    problems: list[Violation] = []
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
            problems.append(
                Violation(
                    resource,
                    f"{_where(resource)}: tag {tag} = {value!r} is not a duration like 15m, 4h "
                    "or 1d; DR020 cannot judge this objective.",
                    line=resource.body.line_of("tags"),
                    kind=f"bad-objective-tag:{tag}",
                )
            )
    return found[0], found[1], problems


def _miss(name: str, target: Target | None, path: RecoveryPath | None, key: str) -> str:
    """Why the best path misses the target, or "" when it meets it."""
    if target is None:
        return ""
    seconds, declared = target
    if path is None:
        return f"{name} target {human_duration(seconds)} ({declared}) cannot be met"
    estimate = (path.rpo if key == "rpo" else path.rto).typical
    if estimate <= seconds:
        return ""
    return (
        f"estimated {name} {human_duration(estimate)} via {path.basis} misses the target "
        f"{human_duration(seconds)} ({declared})"
    )


def _where(resource: Resource) -> str:
    return f"{resource.address} ({resource.region or 'region unknown'})"


def _copies(estimate: ResourceEstimate) -> str:
    return "" if estimate.paths else "no cross-region copy (replication or backup copy) found; "
