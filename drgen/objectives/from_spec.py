"""Estimate RPO/RTO from a spec, before anything exists: what the pattern's recovery paths give.

Assumes what ``drgen render`` builds: S3 replication with Replication Time Control in every
pattern; for pilot-light and up, DynamoDB global tables, Aurora global databases and RDS
cross-region read replicas; for backup-restore, databases come back from AWS Backup copies
made every ``backup.every``.
"""

from __future__ import annotations

from drgen.domain import Pattern, StoreType
from drgen.objectives.figures import Figure, Range, figure
from drgen.objectives.model import Assessment, ComponentEstimate
from drgen.objectives.timeline import rto_timeline
from drgen.spec.model import DataStore, Spec

# Store type -> (RPO figure, RTO figure) when the pattern replicates data live.
_REPLICATED: dict[StoreType, tuple[str, str]] = {
    StoreType.S3: ("s3-replication-rtc", "standing-replica"),
    StoreType.DYNAMODB: ("dynamodb-global-table", "standing-replica"),
    StoreType.AURORA: ("aurora-global-lag", "aurora-global-failover"),
    StoreType.RDS: ("rds-replica-lag", "rds-replica-promotion"),
}

# Pattern -> figures the compute tier's recovery adds up (in sequence).
_COMPUTE: dict[Pattern, tuple[str, ...]] = {
    Pattern.BACKUP_RESTORE: ("redeploy-stack", "asg-launch-from-zero"),
    Pattern.PILOT_LIGHT: ("route53-failover", "asg-launch-from-zero"),
    Pattern.WARM_STANDBY: ("warm-scale-out",),
    Pattern.ACTIVE_ACTIVE: ("active-capacity",),
}


def assess_spec(spec: Spec) -> Assessment:
    """Per component RPO/RTO ranges for the loss of the primary region."""
    components = [_store(store, spec) for store in spec.data]
    if spec.compute is not None:
        components.append(_compute(spec))
    if spec.dns is not None:
        failover = figure("route53-failover")
        components.append(
            ComponentEstimate(
                name=f"{spec.dns.record}.{spec.dns.zone}",
                kind="dns",
                rpo=None,
                rto=failover.range,
                rpo_basis="",
                rto_basis=failover.title,
                figures=(failover,),
            )
        )
    return Assessment(
        name=spec.name,
        pattern=spec.pattern.value,
        rpo_objective=spec.objectives.rpo_seconds,
        rto_objective=spec.objectives.rto_seconds,
        components=tuple(components),
        timeline=rto_timeline(spec),
    )


def _store(store: DataStore, spec: Spec) -> ComponentEstimate:
    if store.type is not StoreType.S3 and spec.pattern is Pattern.BACKUP_RESTORE:
        copy, restore = figure("backup-copy"), figure("restore-from-backup")
        every = spec.backup.every_seconds
        return ComponentEstimate(
            name=store.name,
            kind=store.type.value,
            rpo=Range.schedule(every) + copy.range,
            rto=restore.range,
            rpo_basis=f"AWS Backup every {spec.backup.every} + {copy.title}",
            rto_basis=restore.title,
            figures=(copy, restore),
        )
    rpo_id, rto_id = _REPLICATED[store.type]
    rpo_figure, rto_figure = figure(rpo_id), figure(rto_id)
    rto, rto_basis = rto_figure.range, rto_figure.title
    figures: tuple[Figure, ...] = (rpo_figure, rto_figure)
    if store.type is StoreType.AURORA and spec.standby_instances(store) == 0:
        # a headless secondary gets its first instance before it can fail over (the runbook)
        added = figure("aurora-instance-create")
        rto, rto_basis = added.range + rto, f"{added.title} + {rto_basis}"
        figures += (added,)
    if store.glacier_after_days is not None:
        glacier = figure("glacier-standard-retrieval")
        rto = _worst_plus(rto, glacier.range)
        figures += (glacier,)
        rto_basis += f"; objects older than {store.glacier_after_days} days need {glacier.title}"
    return ComponentEstimate(
        name=store.name, kind=store.type.value, rpo=rpo_figure.range, rto=rto,
        rpo_basis=rpo_figure.title, rto_basis=rto_basis, figures=figures,
    )  # fmt: skip


def _compute(spec: Spec) -> ComponentEstimate:
    steps: tuple[Figure, ...] = tuple(
        figure(step)
        for step in _COMPUTE[spec.pattern]
        if step != "route53-failover" or spec.dns is not None
    )
    total = steps[0].range
    for step in steps[1:]:
        total = total + step.range
    return ComponentEstimate(
        name="compute",
        kind="compute",
        rpo=None,
        rto=total,
        rpo_basis="",
        rto_basis=" + ".join(step.title for step in steps),
        figures=steps,
    )


def _worst_plus(span: Range, extra: Range) -> Range:
    """Only some objects (the archived ones) wait for ``extra``: it widens the worst case only."""
    worst = None if span.worst is None or extra.worst is None else span.worst + extra.worst
    return Range(span.best, span.typical, worst, sla=False)
