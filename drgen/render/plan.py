"""Which building blocks each pattern renders, and into which files.

A building block is one template folder under ``templates/``. Every pattern shares
the data-protection blocks; the patterns differ in what runs in the secondary region
and in how traffic reaches it. Reading ``_PATTERN_BLOCKS`` tells you what a pattern is.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.render.context import RenderContext, StoreContext

# Blocks beyond the data stores, per pattern.
_PATTERN_BLOCKS: dict[str, tuple[str, ...]] = {
    "backup-restore": (),
    "pilot-light": ("ami_copy", "launch_template_asg", "alb", "failover_dns"),
    "warm-standby": ("ami_copy", "launch_template_asg", "alb", "failover_dns"),
    "active-active": ("ami_copy", "launch_template_asg", "alb", "latency_dns"),
}

# Blocks per data store type: (single-region protection, live cross-region replica).
_STORE_BLOCKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "s3": (("s3_replication",), ("s3_replication",)),
    "dynamodb": (("dynamodb",), ("dynamodb",)),
    "aurora": (("aurora",), ("aurora_global",)),
    "rds": (("rds",), ("rds", "rds_replica")),
}


@dataclass(frozen=True)
class PlannedFile:
    path: str  # relative posix path in the rendered tree
    blocks: tuple[str, ...]  # template folders rendered, in order, into this file
    store: StoreContext | None = None  # the data store the blocks protect, if any


def plan_files(context: RenderContext) -> list[PlannedFile]:
    """Every file of the rendered tree with the blocks it is made of."""
    files = [PlannedFile("versions.tf", ("versions",)), PlannedFile("kms.tf", ("kms",))]
    has_databases = bool(context.stores_of("aurora") or context.stores_of("rds"))
    if has_databases:
        files.append(PlannedFile("database_access.tf", ("db_access",)))
    for store in context.stores:
        single, replicated = _STORE_BLOCKS[store.type]
        blocks = replicated if context.live_replicas else single
        files.append(PlannedFile(f"{store.type}_{store.label}.tf", blocks, store))
    files.append(PlannedFile("backup.tf", ("backup_plan",)))
    if context.has_compute:
        for block in _PATTERN_BLOCKS[context.pattern]:
            files.append(PlannedFile(f"{_FILE_OF_BLOCK.get(block, block)}.tf", (block,)))
    if context.resilience_hub:
        files.append(PlannedFile("resiliencehub.tf", ("resiliencehub",)))
    files.append(PlannedFile("variables.tf", ("variables",)))
    files.append(PlannedFile("outputs.tf", ("outputs",)))
    return files


_FILE_OF_BLOCK = {
    "launch_template_asg": "compute",
    "failover_dns": "dns",
    "latency_dns": "dns",
}
