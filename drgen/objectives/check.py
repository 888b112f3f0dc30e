"""Hold a spec against its objectives: one located problem per miss, with the cheapest fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from drgen.domain import Pattern, format_duration
from drgen.errors import Problem
from drgen.objectives.from_spec import assess_spec
from drgen.objectives.model import Assessment
from drgen.spec.model import Spec

# Cheapest first: what a team pays for standing capacity in the recovery region.
PATTERNS_BY_COST = (
    Pattern.BACKUP_RESTORE,
    Pattern.PILOT_LIGHT,
    Pattern.WARM_STANDBY,
    Pattern.ACTIVE_ACTIVE,
)
# AWS Backup runs at most hourly; longer intervals first (cheaper).
BACKUP_INTERVALS = ("24h", "12h", "8h", "6h", "4h", "3h", "2h", "1h")

Metric = Callable[[Assessment], int]


def check_objectives(spec: Spec) -> list[Problem]:
    """Empty when the typical estimate meets both objectives; else one problem per miss."""
    assessment = assess_spec(spec)
    problems: list[Problem] = []
    if not assessment.meets_rpo:
        problems.append(_problem(spec, assessment, "rpo"))
    if not assessment.meets_rto:
        problems.append(_problem(spec, assessment, "rto"))
    return problems


def _problem(spec: Spec, assessment: Assessment, key: str) -> Problem:
    estimate = _metric(key)(assessment)
    weakest = assessment.weakest_rpo if key == "rpo" else assessment.weakest_rto
    objective = spec.objectives.rpo if key == "rpo" else spec.objectives.rto
    because = f" ({weakest.name}: {weakest.basis})" if weakest else ""
    return Problem(
        message=(
            f"{spec.pattern.value} cannot meet {key.upper()} {objective}: "
            f"the estimate is {format_duration(estimate)}{because}"
        ),
        file=str(spec.source) if spec.source else None,
        json_path=f"$.objectives.{key}",
        hint=cheapest_fix(spec, key),
    )


def cheapest_fix(spec: Spec, key: str) -> str:
    """The cheapest setting or pattern whose estimate meets the ``key`` objective."""
    metric, objective = _metric(key), _objective(spec, key)
    if spec.pattern is Pattern.BACKUP_RESTORE and key == "rpo":
        for every in BACKUP_INTERVALS:
            estimate = metric(assess_spec(replace(spec, backup=replace(spec.backup, every=every))))
            if estimate <= objective:
                return (
                    f"set backup.every to {every} (estimated RPO {format_duration(estimate)}), "
                    "or relax objectives.rpo"
                )
    estimates = {
        pattern: metric(assess_spec(replace(spec, pattern=pattern))) for pattern in PATTERNS_BY_COST
    }
    for pattern, estimate in estimates.items():
        if pattern is not spec.pattern and estimate <= objective:
            return (
                f"use pattern: {pattern.value} (estimated {key.upper()} "
                f"{format_duration(estimate)}), or relax objectives.{key}"
            )
    best = min(estimates.values())
    return (
        f"no pattern drgen renders reaches {format_duration(objective)} for these data stores "
        f"(best estimate {format_duration(best)}): relax objectives.{key} to at least "
        f"{format_duration(best)} or change the weakest data store"
    )


def _metric(key: str) -> Metric:
    return (lambda a: a.estimate_rpo) if key == "rpo" else (lambda a: a.estimate_rto)


def _objective(spec: Spec, key: str) -> int:
    return spec.objectives.rpo_seconds if key == "rpo" else spec.objectives.rto_seconds
