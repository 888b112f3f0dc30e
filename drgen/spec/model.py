"""The typed DR spec. Built only from data that already passed the JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drgen.domain import (
    FailoverGate,
    FailoverMode,
    Pattern,
    StoreType,
    WriteMode,
    parse_duration,
)
from drgen.yamldoc.source_map import SourceMap


@dataclass(frozen=True)
class Regions:
    primary: str
    secondary: str


@dataclass(frozen=True)
class Objectives:
    rpo: str  # as written, e.g. "15m"
    rto: str

    @property
    def rpo_seconds(self) -> int:
        return parse_duration(self.rpo)

    @property
    def rto_seconds(self) -> int:
        return parse_duration(self.rto)


@dataclass(frozen=True)
class Dns:
    zone: str
    record: str
    health_check_path: str = "/"


@dataclass(frozen=True)
class Compute:
    ami: str
    instance_type: str
    port: int
    min: int
    max: int


@dataclass(frozen=True)
class NetworkSide:
    """One region's VPC. A spec written with the deprecated single ``subnet_ids`` list gets
    that list for both tiers (as drgen 0.1 rendered it) and ``single_list`` set."""

    vpc_id: str
    public_subnet_ids: tuple[str, ...]  # the internet-facing load balancer; () = none given
    private_subnet_ids: tuple[str, ...]  # application servers and databases
    single_list: bool = False


@dataclass(frozen=True)
class Network:
    primary: NetworkSide
    secondary: NetworkSide


@dataclass(frozen=True)
class Failover:
    """How traffic moves to the secondary region; the defaults are the schema's."""

    mode: FailoverMode = FailoverMode.MANUAL
    gate: FailoverGate = FailoverGate.CLOUDWATCH_ALARM
    decision_time: str = "15m"  # as written
    region_switch_plan: bool = False  # also render an executable ARC Region switch plan

    @property
    def decision_seconds(self) -> int:
        return parse_duration(self.decision_time)


DEFAULT_GLACIER_AFTER_DAYS = 90  # the schema's documented default for s3 stores
# Glacier Flexible Retrieval bills at least 90 days of storage, so a noncurrent version that
# moved there expires no sooner by default (the schema documents glacier_after_days + 90).
GLACIER_MINIMUM_STORAGE_DAYS = 90


@dataclass(frozen=True)
class DataStore:
    type: StoreType
    name: str
    glacier_after_days: int | None = None  # s3 (from_dict fills the default)
    noncurrent_expire_after_days: int | None = None  # s3 (from_dict fills the default)
    hash_key: str | None = None  # dynamodb
    engine: str | None = None  # aurora / rds
    standby_instances: int | None = None  # aurora: the secondary's instances; None = default


@dataclass(frozen=True)
class Backup:
    every: str = "24h"
    retention_days: int = 35
    cold_storage_after_days: int | None = None
    vault_lock: str = "governance"  # governance | compliance | off (the schema's enum)

    @property
    def every_seconds(self) -> int:
        return parse_duration(self.every)


@dataclass(frozen=True)
class Spec:
    version: int
    name: str
    pattern: Pattern
    regions: Regions
    objectives: Objectives
    write_mode: WriteMode | None = None
    dual_master_acknowledgement: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    dns: Dns | None = None
    failover: Failover = field(default_factory=Failover)
    compute: Compute | None = None
    network: Network | None = None
    data: tuple[DataStore, ...] = ()
    backup: Backup = field(default_factory=Backup)
    resilience_hub: bool = False  # opt-in aws_resiliencehub_resiliency_policy
    source: Path | None = None  # the file it was loaded from, for messages and headers
    # where each key and value was written (set by the loader), to locate later problems
    source_map: SourceMap | None = field(default=None, compare=False, repr=False)

    def standby_instances(self, store: DataStore) -> int:
        """DB instances an Aurora store's secondary cluster runs at rest: the spec's, else none
        with pilot light (headless: the failover runbook adds one), but one when the Region
        switch plan fails the database over (the plan adds no instance), else two."""
        if store.standby_instances is not None:
            return store.standby_instances
        if self.pattern is Pattern.PILOT_LIGHT:
            return 1 if self.failover.region_switch_plan else 0
        return 2

    @classmethod
    def from_dict(
        cls, raw: dict[str, Any], source: Path | None = None, source_map: SourceMap | None = None
    ) -> Spec:
        """Build from a schema-valid mapping (the loader validates first)."""
        network = raw.get("network")
        return cls(
            version=int(raw["version"]),
            name=raw["name"],
            pattern=Pattern(raw["pattern"]),
            regions=Regions(**raw["regions"]),
            objectives=Objectives(rpo=raw["objectives"]["rpo"], rto=raw["objectives"]["rto"]),
            write_mode=WriteMode(raw["write_mode"]) if raw.get("write_mode") else None,
            dual_master_acknowledgement=raw.get("dual_master_acknowledgement"),
            tags=tuple(sorted((str(k), str(v)) for k, v in (raw.get("tags") or {}).items())),
            dns=Dns(**raw["dns"]) if raw.get("dns") else None,
            failover=_failover(raw.get("failover") or {}),
            compute=Compute(**raw["compute"]) if raw.get("compute") else None,
            network=Network(
                primary=_network_side(network["primary"]),
                secondary=_network_side(network["secondary"]),
            )
            if network
            else None,
            data=tuple(_data_store(store) for store in raw.get("data") or ()),
            backup=Backup(**raw["backup"]) if raw.get("backup") else Backup(),
            resilience_hub=bool(raw.get("resilience_hub", False)),
            source=source,
            source_map=source_map,
        )


def _failover(raw: dict[str, Any]) -> Failover:
    default = Failover()
    return Failover(
        mode=FailoverMode(raw.get("mode", default.mode)),
        gate=FailoverGate(raw.get("gate", default.gate)),
        decision_time=raw.get("decision_time", default.decision_time),
        region_switch_plan=bool(raw.get("region_switch_plan", default.region_switch_plan)),
    )


def _data_store(raw: dict[str, Any]) -> DataStore:
    store_type = StoreType(raw["type"])
    glacier = raw.get("glacier_after_days")
    expire = raw.get("noncurrent_expire_after_days")
    if store_type is StoreType.S3:
        glacier = DEFAULT_GLACIER_AFTER_DAYS if glacier is None else glacier
        expire = glacier + GLACIER_MINIMUM_STORAGE_DAYS if expire is None else expire
    return DataStore(
        **{
            **raw,
            "type": store_type,
            "glacier_after_days": glacier,
            "noncurrent_expire_after_days": expire,
        }
    )


def _network_side(raw: dict[str, Any]) -> NetworkSide:
    if "subnet_ids" in raw:
        single = tuple(raw["subnet_ids"])
        return NetworkSide(raw["vpc_id"], single, single, single_list=True)
    return NetworkSide(
        vpc_id=raw["vpc_id"],
        public_subnet_ids=tuple(raw.get("public_subnet_ids") or ()),
        private_subnet_ids=tuple(raw["private_subnet_ids"]),
    )
