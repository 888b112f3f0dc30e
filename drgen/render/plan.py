"""Which building blocks each pattern renders, and into which root of the tree.

A building block is one template folder under ``templates/``; a block holds one template
per root it contributes to (``templates/<block>/<root>.tf.j2``). The rendered tree is a
folder of Terraform roots with separate states (docs/design/multi-root-layout.md), so
the recovery region's root keeps working while the primary region is down. Every
pattern shares the data-protection blocks; the patterns differ in what runs in the
recovery region and in how traffic reaches it. Reading ``_PATTERN_BLOCKS`` tells you
what a pattern is; reading ``_PARTS`` tells you where each block's resources live.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.render.context import RenderContext, StoreContext

GLOBAL = "1-global"
RECOVERY_STORAGE = "2-recovery-storage"
PRIMARY = "3-primary"
RECOVERY = "4-recovery"
DNS = "5-dns"
ROOTS = (GLOBAL, RECOVERY_STORAGE, PRIMARY, RECOVERY, DNS)  # also the apply order

# The region a root's provider (and backend) lives in: the recovery region unless the
# root serves from the primary region. IAM and Route 53 are global.
ROOT_SIDE = {
    GLOBAL: "secondary",
    RECOVERY_STORAGE: "secondary",
    PRIMARY: "primary",
    RECOVERY: "secondary",
    DNS: "secondary",
}

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

# The roots each block has a part in (one template per root).
_PARTS: dict[str, tuple[str, ...]] = {
    "kms": (RECOVERY_STORAGE, PRIMARY),
    "db_access": (GLOBAL, PRIMARY, RECOVERY),
    "db_credentials": (PRIMARY,),
    "s3_replication": (GLOBAL, RECOVERY_STORAGE, PRIMARY),
    "dynamodb": (PRIMARY,),
    "aurora": (PRIMARY,),
    "aurora_global": (PRIMARY, RECOVERY),
    "rds": (PRIMARY,),
    "rds_replica": (RECOVERY,),
    "backup_plan": (GLOBAL, RECOVERY_STORAGE, PRIMARY, RECOVERY),
    "ami_copy": (PRIMARY,),
    "launch_template_asg": (GLOBAL, PRIMARY, RECOVERY),
    "alb": (GLOBAL, PRIMARY, RECOVERY),
    "failover_dns": (DNS,),
    "latency_dns": (DNS,),
    "resiliencehub": (PRIMARY,),
    "failover_gate": (DNS,),
    "arc_gate": (DNS,),
    "region_switch": (GLOBAL, DNS),
}

# Per-root files that are not block parts (rendered last: they read the blocks' text).
ROOT_FILES = ("versions.tf", "variables.tf", "outputs.tf", "backend.tf.example")


@dataclass(frozen=True)
class PlannedFile:
    path: str  # relative posix path in the rendered tree: "<root>/<file>"
    root: str
    block: str  # the template folder; the template is templates/<block>/<root>.tf.j2
    store: StoreContext | None = None  # the data store the block protects, if any

    @property
    def template(self) -> str:
        return f"{self.block}/{self.root}.tf.j2"


def plan_files(context: RenderContext) -> list[PlannedFile]:
    """Every block file of the rendered tree, grouped by root in apply order."""
    units: list[tuple[str, str, StoreContext | None]] = [("kms", "kms", None)]
    if context.stores_of("aurora") or context.stores_of("rds"):
        units.append(("db_access", "database_access", None))
    if context.needs_db_password:
        units.append(("db_credentials", "database_credentials", None))
    for store in context.stores:
        single, replicated = _STORE_BLOCKS[store.type]
        for block in replicated if context.live_replicas else single:
            units.append((block, f"{store.type}_{store.label}", store))
    units.append(("backup_plan", "backup", None))
    if context.has_compute:
        for block in _PATTERN_BLOCKS[context.pattern]:
            units.append((block, _FILE_OF_BLOCK.get(block, block), None))
    if context.has_compute:
        units.append(("arc_gate" if context.arc_gate else "failover_gate", "gate", None))
    if context.region_switch_plan:
        units.append(("region_switch", "region_switch", None))
    if context.resilience_hub:
        units.append(("resiliencehub", "resiliencehub", None))
    files = [
        PlannedFile(f"{root}/{name}.tf", root, block, store)
        for root in ROOTS
        for block, name, store in units
        if root in _PARTS[block]
    ]
    return files


_FILE_OF_BLOCK = {
    "launch_template_asg": "compute",
    "failover_dns": "dns",
    "latency_dns": "dns",
}
