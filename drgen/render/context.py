"""Turn a validated Spec into the values the templates need (all derived facts live here)."""

from __future__ import annotations

from dataclasses import dataclass

from drgen.domain import (
    OPT_IN_REGIONS,
    WRITE_MODE_TAG,
    FailoverGate,
    FailoverMode,
    Pattern,
    StoreType,
    WriteMode,
)
from drgen.printable import printable
from drgen.render.arc import endpoint_region
from drgen.render.engines import EngineFacts, engine_facts
from drgen.render.schedule import BackupRules, backup_rules
from drgen.spec.model import NetworkSide, Spec


@dataclass(frozen=True)
class StoreContext:
    type: str
    name: str  # as in the spec, used in AWS names
    label: str  # Terraform label: name with "-" -> "_"
    glacier_after_days: int
    noncurrent_expire_after_days: int  # s3: lifecycle deletes a noncurrent version then
    hash_key: str | None
    engine: EngineFacts | None
    multi_writer: bool  # both regions write it: gets the DR010 acknowledgement
    standby_instances: int  # aurora: DB instances of the secondary cluster (0 = headless)


@dataclass(frozen=True)
class Capacity:
    min: int
    max: int
    desired: int


@dataclass(frozen=True)
class RenderContext:
    version: str
    spec_file: str
    name: str
    label: str
    pattern: str
    write_mode: str | None
    write_mode_tag: str  # "drgen:write-mode"
    write_mode_value: str | None  # the tag's value on data stores; None when nothing replicates
    acknowledgement: str | None
    primary_region: str
    secondary_region: str
    opt_in_regions: tuple[str, ...]  # of the two, those the account must enable first
    tags: tuple[tuple[str, str], ...]
    stores: tuple[StoreContext, ...]
    backup: BackupRules
    live_replicas: bool  # pilot-light and up: databases replicate continuously
    bidirectional_s3: bool  # both regions write the buckets
    has_compute: bool
    ami: str
    instance_type: str
    port: int
    primary_capacity: Capacity
    secondary_capacity: Capacity
    zone: str
    record: str
    health_check_path: str
    network: dict[str, NetworkSide]  # side -> its VPC and subnet tiers; {} = variables
    needs_network: bool
    needs_db_password: bool  # live database replicas: a write-only password and its secret
    resilience_hub: bool
    rpo: str
    rto: str
    rpo_go: str  # the same durations as Go durations (Resilience Hub takes "1h", not "1d")
    rto_go: str
    failover_automatic: bool  # failover.mode automatic: health checks move traffic, not only gates
    arc_gate: bool  # failover.gate arc-routing-control, rendered where traffic is routed
    arc_endpoint_region: str  # the ARC cluster endpoint a failover uses (drgen.render.arc)
    region_switch_plan: bool  # failover.region_switch_plan: the executable ARC plan
    rto_minutes: int

    def stores_of(self, store_type: str) -> tuple[StoreContext, ...]:
        return tuple(store for store in self.stores if store.type == store_type)


def build_context(spec: Spec, version: str) -> RenderContext:
    live = spec.pattern is not Pattern.BACKUP_RESTORE
    both_regions_write = spec.write_mode in (WriteMode.WRITE_ORIGIN, WriteMode.WRITE_LOCAL)
    stores = tuple(
        StoreContext(
            type=store.type.value,
            name=store.name,
            label=store.name.replace("-", "_"),
            glacier_after_days=store.glacier_after_days or 90,
            noncurrent_expire_after_days=store.noncurrent_expire_after_days or 0,
            hash_key=store.hash_key,
            engine=engine_facts(store.engine) if store.engine else None,
            multi_writer=spec.write_mode is WriteMode.WRITE_LOCAL
            and store.type in (StoreType.S3, StoreType.DYNAMODB),
            standby_instances=spec.standby_instances(store)
            if store.type is StoreType.AURORA
            else 0,
        )
        for store in spec.data
    )
    compute = spec.compute
    dns = spec.dns
    has_databases = any(s.type in (StoreType.AURORA, StoreType.RDS) for s in spec.data)
    routed = live and compute is not None and dns is not None
    arc_gate = routed and spec.failover.gate is FailoverGate.ARC_ROUTING_CONTROL
    return RenderContext(
        version=version,
        spec_file=printable(spec.source.name) if spec.source else "spec.yaml",
        name=spec.name,
        label=spec.name.replace("-", "_"),
        pattern=spec.pattern.value,
        write_mode=spec.write_mode.value if spec.write_mode else None,
        write_mode_tag=WRITE_MODE_TAG,
        write_mode_value=_write_mode_value(spec),
        acknowledgement=spec.dual_master_acknowledgement,
        primary_region=spec.regions.primary,
        secondary_region=spec.regions.secondary,
        opt_in_regions=tuple(
            region
            for region in (spec.regions.primary, spec.regions.secondary)
            if region in OPT_IN_REGIONS
        ),
        tags=spec.tags,
        stores=stores,
        backup=backup_rules(spec.backup),
        live_replicas=live,
        bidirectional_s3=both_regions_write,
        has_compute=routed,
        ami=compute.ami if compute else "",
        instance_type=compute.instance_type if compute else "",
        port=compute.port if compute else 0,
        primary_capacity=_capacity(compute.min, compute.max) if compute else _capacity(0, 0),
        secondary_capacity=_secondary_capacity(spec),
        zone=dns.zone.rstrip(".") if dns else "",
        record=dns.record if dns else "",
        health_check_path=dns.health_check_path if dns else "/",
        network={"primary": spec.network.primary, "secondary": spec.network.secondary}
        if spec.network
        else {},
        needs_network=has_databases or (live and compute is not None),
        needs_db_password=live and has_databases,
        resilience_hub=spec.resilience_hub,
        rpo=spec.objectives.rpo,
        rto=spec.objectives.rto,
        rpo_go=_go_duration(spec.objectives.rpo_seconds),
        rto_go=_go_duration(spec.objectives.rto_seconds),
        failover_automatic=routed and spec.failover.mode is FailoverMode.AUTOMATIC,
        arc_gate=arc_gate,
        arc_endpoint_region=endpoint_region(spec.regions.primary, spec.regions.secondary),
        region_switch_plan=arc_gate and spec.failover.region_switch_plan,
        rto_minutes=max(1, spec.objectives.rto_seconds // 60),
    )


def _write_mode_value(spec: Spec) -> str | None:
    """Live replicas declare their write owner; pilot light and warm standby write in one region."""
    if spec.write_mode is not None:
        return spec.write_mode.value
    return None if spec.pattern is Pattern.BACKUP_RESTORE else WriteMode.WRITE_GLOBAL.value


def _capacity(low: int, high: int) -> Capacity:
    return Capacity(min=low, max=high, desired=low)


def _secondary_capacity(spec: Spec) -> Capacity:
    """Pilot light idles at zero, warm standby runs a reduced fleet, active-active runs all."""
    compute = spec.compute
    if compute is None:
        return _capacity(0, 0)
    if spec.pattern is Pattern.PILOT_LIGHT:
        return _capacity(0, compute.max)
    if spec.pattern is Pattern.WARM_STANDBY:
        return _capacity(max(1, compute.min // 2), compute.max)
    return _capacity(compute.min, compute.max)


def _go_duration(seconds: int) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
