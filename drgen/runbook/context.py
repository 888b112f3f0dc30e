"""What the runbook needs from a spec: regions, names, capacities, which stores wait."""

from __future__ import annotations

from dataclasses import dataclass

from drgen.domain import (
    FailoverGate,
    FailoverMode,
    Pattern,
    StoreType,
    writable_without_promotion,
)
from drgen.render.engines import engine_facts
from drgen.render.identifiers import Identifiers
from drgen.spec.model import DataStore, Spec

ACCOUNT_ID = "ACCOUNT_ID"  # the shell variable every ARN is built from

# Roots of the rendered tree (docs/design/multi-root-layout.md); numbers never change.
GLOBAL_ROOT = "1-global"
RECOVERY_STORAGE_ROOT = "2-recovery-storage"
PRIMARY_ROOT = "3-primary"
RECOVERY_ROOT = "4-recovery"
DNS_ROOT = "5-dns"
# Roots whose state lives in the recovery region: the only ones a failover may read.
RECOVERY_STATE_ROOTS = frozenset({GLOBAL_ROOT, RECOVERY_STORAGE_ROOT, RECOVERY_ROOT, DNS_ROOT})


@dataclass(frozen=True)
class RunbookContext:
    spec: Spec
    ids: Identifiers
    primary: str
    recovery: str
    partition: str

    @property
    def pattern(self) -> Pattern:
        return self.spec.pattern

    @property
    def live(self) -> bool:
        return self.spec.pattern is not Pattern.BACKUP_RESTORE

    @property
    def routed(self) -> bool:
        """Traffic goes through the rendered DNS records and gates."""
        return self.live and self.spec.dns is not None and self.spec.compute is not None

    @property
    def automatic(self) -> bool:
        return self.routed and self.spec.failover.mode is FailoverMode.AUTOMATIC

    @property
    def arc(self) -> bool:
        return self.spec.failover.gate is FailoverGate.ARC_ROUTING_CONTROL

    @property
    def fqdn(self) -> str:
        dns = self.spec.dns
        return f"{dns.record}.{dns.zone.rstrip('.')}" if dns else ""

    @property
    def health_url(self) -> str:
        dns = self.spec.dns
        return f"https://{self.fqdn}{dns.health_check_path}" if dns else ""

    def stores(self, *types: StoreType) -> tuple[DataStore, ...]:
        return tuple(s for s in self.spec.data if s.type in types)

    @property
    def waits_s3(self) -> bool:
        """S3 replicates one way: writes made in the recovery region stay there."""
        return not writable_without_promotion(StoreType.S3, self.pattern, self.spec.write_mode)

    def waits_for_promotion(self, store: DataStore) -> bool:
        return not writable_without_promotion(store.type, self.pattern, self.spec.write_mode)

    def engine(self, store: DataStore) -> str:
        """The store's engine; specs built in code may omit it (the schema requires it)."""
        default = "aurora-postgresql" if store.type is StoreType.AURORA else "postgres"
        return store.engine or default

    def instance_class(self, store: DataStore) -> str:
        return engine_facts(self.engine(store)).instance_class


def runbook_context(spec: Spec) -> RunbookContext:
    return RunbookContext(
        spec=spec,
        ids=Identifiers(spec.name),
        primary=spec.regions.primary,
        recovery=spec.regions.secondary,
        partition=partition_of(spec.regions.primary),
    )


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def standby_capacity(spec: Spec) -> tuple[int, int]:
    """(min, max) of the recovery group at rest, as rendered (drgen.render.context)."""
    compute = spec.compute
    if compute is None:
        return (0, 0)
    if spec.pattern is Pattern.PILOT_LIGHT:
        return (0, compute.max)
    if spec.pattern is Pattern.WARM_STANDBY:
        return (max(1, compute.min // 2), compute.max)
    return (compute.min, compute.max)
