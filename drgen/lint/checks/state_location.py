"""DR034: a recovery root whose Terraform state lives in the region it must replace.

A root whose resources all live on the recovery side of the topology (the regions holding the
copies, drgen/lint/checks/sides.py) is what an operator applies during a primary outage. If its
``backend "s3"`` keeps the state in a bucket of the primary region (a region that only serves,
or the region its replicas copy from by literal ARN), ``terraform plan`` cannot
read the state while that region is down, and the recovery cannot be applied or changed.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import arn_region
from drgen.lint.checks.rds import CLUSTER, INSTANCE
from drgen.lint.checks.sides import location, sides
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root


def check_recovery_state_region(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    if root.backend is None or root.backend_at is None:
        return
    kind, settings = root.backend
    region = settings.get("region")
    if kind != "s3" or region is None:
        return
    topology = sides(root)
    sources = _replicated_from(root)
    primary = topology.primary | sources
    copies = topology.copies | ({location(r) for r in _replicas(root)} if sources else set())
    held = {location(r) for r in root.resources if r.mode == "managed"}
    if region not in primary or not held or held & primary or not held <= copies:
        return
    file, line = root.backend_at
    bucket = settings.get("bucket", "its bucket")
    yield Violation(
        None,
        f"root {root.directory} deploys only to the recovery side ({', '.join(sorted(held))}) "
        f"but keeps its Terraform state in {bucket} in {region}, the primary region: during "
        "a primary outage terraform cannot read the state, so the recovery cannot be applied; "
        "keep this root's state in a bucket of the recovery region (or one replicated there "
        "with a backend you can switch to).",
        file=file,
        line=line,
    )


def _replicas(root: Root) -> list[Resource]:
    return [d for d in root.of_type(INSTANCE, CLUSTER) if _source_arn_region(d) is not None]


def _replicated_from(root: Root) -> set[str]:
    """Regions the root's replicas copy from when their source is a literal ARN (a database
    of a stack drgen does not see, or of a root nothing links)."""
    return {r for d in root.of_type(INSTANCE, CLUSTER) if (r := _source_arn_region(d))}


def _source_arn_region(database: Resource) -> str | None:
    for name in ("replicate_source_db", "replication_source_identifier"):
        region = arn_region(database.values.get(name))
        if region is not None and region != database.region:
            return region
    return None
