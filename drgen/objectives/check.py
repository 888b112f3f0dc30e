"""Hold a spec against its objectives: one located problem per miss, with the cheapest fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from drgen.domain import (
    FailoverMode,
    Pattern,
    StoreType,
    format_duration,
    writable_without_promotion,
)
from drgen.errors import Problem
from drgen.objectives.from_spec import assess_spec
from drgen.objectives.model import Assessment
from drgen.objectives.report import human_duration
from drgen.objectives.timeline import Timeline
from drgen.spec.model import DataStore, Spec
from drgen.yamldoc.source_map import Position

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
    return [
        _problem(spec, assessment, key)
        for key, met in (("rpo", assessment.meets_rpo), ("rto", assessment.meets_rto))
        if not met
    ]


def _problem(spec: Spec, assessment: Assessment, key: str) -> Problem:
    if key == "rpo":
        weakest, objective = assessment.weakest_rpo, spec.objectives.rpo
        because = f" ({weakest.name}: {weakest.rpo_basis})" if weakest else ""
    elif assessment.timeline is not None:
        objective = spec.objectives.rto
        because = f" (failover timeline: {timeline_summary(assessment.timeline)})"
    else:
        weakest, objective = assessment.weakest_rto, spec.objectives.rto
        because = f" ({weakest.name}: {weakest.rto_basis})" if weakest else ""
    where = _position(spec, key)
    return Problem(
        message=(
            f"{spec.pattern.value} cannot meet {key.upper()} {objective}: the typical "
            f"estimate is {human_duration(_metric(key)(assessment))}{because}"
        ),
        file=str(spec.source) if spec.source else None,
        line=where.line if where else None,
        column=where.column if where else None,
        json_path=f"$.objectives.{key}",
        hint=cheapest_fix(spec, key),
    )


def cheapest_fix(spec: Spec, key: str) -> str:
    """The cheapest setting, pattern or store whose estimate meets the ``key`` objective."""
    metric, objective = _metric(key), _objective(spec, key)
    name = key.upper()
    if spec.pattern is Pattern.BACKUP_RESTORE and key == "rpo":
        for every in BACKUP_INTERVALS:
            estimate = metric(assess_spec(replace(spec, backup=replace(spec.backup, every=every))))
            if estimate <= objective:
                return f"set backup.every to {every} (estimated {name} {human_duration(estimate)})"
    by_pattern = {p: metric(assess_spec(replace(spec, pattern=p))) for p in PATTERNS_BY_COST}
    for pattern, estimate in by_pattern.items():
        if pattern is not spec.pattern and estimate <= objective:
            return f"use pattern: {pattern.value} (estimated {name} {human_duration(estimate)})"
    for pattern in PATTERNS_BY_COST[PATTERNS_BY_COST.index(spec.pattern) :]:
        upgraded = replace(spec, pattern=pattern, data=tuple(map(_rds_to_aurora, spec.data)))
        estimate = metric(assess_spec(upgraded))
        if upgraded.data != spec.data and estimate <= objective:
            return (
                f"move the rds data stores to aurora (global database) with pattern: "
                f"{pattern.value} (estimated {name} {human_duration(estimate)})"
            )
    if key == "rto":
        tuned = _failover_fix(spec, objective)
        if tuned:
            return tuned
    best = min(by_pattern.values())
    return (
        f"no pattern drgen renders reaches {human_duration(objective)} with these data stores "
        f"(best estimate {human_duration(best)}): relax objectives.{key}"
    )


def timeline_summary(timeline: Timeline) -> str:
    """``detection 1m 30s + decision 15m + 6 runbook steps 9m + DNS TTL 1m``."""
    entries = timeline.entries
    head = [f"{e.label.lower()} {human_duration(e.range.typical)}" for e in entries[:2]]
    steps = entries[2:-1] if entries[-1].label == "DNS caches expire" else entries[2:]
    steps_time = human_duration(sum(e.range.typical for e in steps))
    parts = [*head, f"{len(steps)} runbook steps {steps_time}"]
    if len(steps) != len(entries) - 2:
        parts.append(f"DNS TTL {human_duration(entries[-1].range.typical)}")
    return " + ".join(parts)


def _failover_fix(spec: Spec, objective: int) -> str | None:
    """Automatic failover where every store allows it, else a shorter decision time."""
    writable = all(
        writable_without_promotion(s.type, spec.pattern, spec.write_mode) for s in spec.data
    )
    manual = spec.failover.mode is FailoverMode.MANUAL
    if manual and writable and spec.pattern is not Pattern.BACKUP_RESTORE and spec.dns:
        automatic = replace(spec, failover=replace(spec.failover, mode=FailoverMode.AUTOMATIC))
        estimate = assess_spec(automatic).estimate_rto
        if estimate <= objective:
            return (
                "set failover.mode: automatic, which every store here allows "
                f"(estimated RTO {human_duration(estimate)})"
            )
    if not manual:
        return None
    without = assess_spec(replace(spec, failover=replace(spec.failover, decision_time="0s")))
    room = objective - without.estimate_rto
    if room < 60:
        return None
    decision = format_duration(room - room % 60)
    return (
        f"lower failover.decision_time to {decision} or less (the rest of the timeline takes "
        f"{human_duration(without.estimate_rto)})"
    )


def _position(spec: Spec, key: str) -> Position | None:
    """Where ``objectives.<key>`` is written in the spec's file (None for a spec built in code)."""
    if spec.source is None or spec.source_map is None:
        return None
    return spec.source_map.locate(("objectives", key))


def _rds_to_aurora(store: DataStore) -> DataStore:
    if store.type is not StoreType.RDS:
        return store
    engine = "aurora-postgresql" if (store.engine or "").startswith("postgres") else "aurora-mysql"
    return replace(store, type=StoreType.AURORA, engine=engine)


def _metric(key: str) -> Metric:
    return (lambda a: a.estimate_rpo) if key == "rpo" else (lambda a: a.estimate_rto)


def _objective(spec: Spec, key: str) -> int:
    return spec.objectives.rpo_seconds if key == "rpo" else spec.objectives.rto_seconds
