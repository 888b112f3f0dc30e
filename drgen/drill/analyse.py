"""The drill's verdict for a tree of roots: what a region loss takes, what keeps serving, and
whether every root needed for the recovery works without the lost region.

A root is on the recovery path when it manages something that serves or holds data outside
the lost region (compute, load balancers, databases, tables, buckets, vaults, keys): an
operator must be able to plan and apply it during the outage, so it must not touch the lost
region in any way. Roots holding only global or lost-region things are reported, not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drgen.drill.dependencies import Dependency, backend_region_of, root_dependencies
from drgen.lint.frontends.parsing import parse_bytes
from drgen.lint.model.roots import Project, Resource, Root
from drgen.objectives.from_terraform import STATEFUL_TYPES, estimate_resource, is_copy

SERVING_TYPES = frozenset(
    {
        "aws_autoscaling_group", "aws_launch_template", "aws_instance", "aws_lb",
        "aws_lb_target_group", "aws_lb_listener", "aws_rds_cluster", "aws_rds_cluster_instance",
        "aws_db_instance", "aws_dynamodb_table", "aws_s3_bucket", "aws_backup_vault",
        "aws_kms_key", "aws_ecs_service", "aws_lambda_function", "aws_eks_cluster",
    }
)  # fmt: skip


@dataclass(frozen=True)
class LostData:
    address: str
    root: str
    recovery: str  # the best copy outside the lost region, in words ("" = none)


@dataclass
class RootVerdict:
    directory: str
    lost: list[str] = field(default_factory=list)  # managed addresses in the lost region
    serving: list[str] = field(default_factory=list)  # managed addresses elsewhere
    undecided: list[str] = field(default_factory=list)  # region unknown
    on_recovery_path: bool = False
    dependencies: list[Dependency] = field(default_factory=list)


@dataclass
class DrillResult:
    lost_region: str
    roots: list[RootVerdict]
    data: list[LostData]

    @property
    def broken(self) -> list[Dependency]:
        return [d for r in self.roots if r.on_recovery_path for d in r.dependencies]


def analyse(project: Project, lost: str, base: Path) -> DrillResult:
    verdicts = [_root(root, lost, base) for root in project.roots]
    data = [
        _lost_data(root, resource)
        for root in project.roots
        for resource in root.of_type(*STATEFUL_TYPES)
        if resource.region == lost and not is_copy(root, resource)
    ]
    return DrillResult(lost, verdicts, data)


def _root(root: Root, lost: str, base: Path) -> RootVerdict:
    verdict = RootVerdict(root.directory)
    for resource in root.resources:
        if resource.mode != "managed":
            continue
        if resource.region is None:
            verdict.undecided.append(resource.address)
        elif resource.region == lost:
            verdict.lost.append(resource.address)
        else:
            verdict.serving.append(resource.address)
            verdict.on_recovery_path |= resource.type in SERVING_TYPES
    backend = backend_region_of(root) or _example_backend_region(base / root.directory)
    verdict.dependencies = root_dependencies(root, lost, backend)
    return verdict


def _example_backend_region(directory: Path) -> str | None:
    """A rendered root's ``backend.tf.example`` (the backend it is meant to use)."""
    example = directory / "backend.tf.example"
    if not example.is_file():
        return None
    parsed = parse_bytes(example.read_bytes(), is_json=False, parser="tree-sitter", cache=None)
    for block in parsed.body.blocks:
        backend = block.first("backend") if block.type == "terraform" else None
        region = backend.get("region") if backend else None
        if isinstance(region, str):
            return region
    return None


def _lost_data(root: Root, resource: Resource) -> LostData:
    estimate = estimate_resource(root, resource)
    best = estimate.best_rpo
    return LostData(resource.address, root.directory, best.basis if best else "")
