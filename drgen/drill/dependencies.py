"""What in one root depends on a lost region: resources, data sources, providers (through
the resources using them), the state backend, remote state, and global control planes.

Global services (IAM, Route 53, CloudFront, Organizations) answer from us-east-1's control
plane whatever region the call names, so they count as us-east-1 dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.model.roots import Resource, Root

GLOBAL_CONTROL_PLANE_PREFIXES = (
    "aws_iam_",
    "aws_route53_",
    "aws_cloudfront_",
    "aws_organizations_",
)
CONTROL_PLANE_REGION = "us-east-1"
# Data sources Terraform evaluates without calling AWS, or through the region's own STS.
LOCAL_DATA_SOURCES = frozenset(
    {"aws_iam_policy_document", "aws_partition", "aws_region", "aws_caller_identity", "aws_arn"}
)
# Regional services whose Route 53-like name is not global.
_REGIONAL_ROUTE53 = ("aws_route53_resolver_", "aws_route53recoverycontrolconfig_")


@dataclass(frozen=True)
class Dependency:
    root: str
    what: str  # an address, "backend", or a provider configuration such as "aws.west"
    kind: str  # resource, data source, provider, backend, remote state, control plane
    why: str


def root_dependencies(root: Root, lost: str, backend_region: str | None) -> list[Dependency]:
    found: list[Dependency] = []
    providers: set[str] = set()
    for resource in root.resources:
        kind = "data source" if resource.mode == "data" else "resource"
        if resource.type == "terraform_remote_state":
            found += _remote_state(root, resource, lost)
            continue
        if _global_control_plane(resource):
            if lost == CONTROL_PLANE_REGION and resource.type not in LOCAL_DATA_SOURCES:
                why = f"{resource.type} is served by {CONTROL_PLANE_REGION}'s control plane"
                found.append(Dependency(root.directory, resource.address, "control plane", why))
            continue
        if resource.region == lost and resource.type not in LOCAL_DATA_SOURCES:
            found.append(Dependency(root.directory, resource.address, kind, f"lives in {lost}"))
            if resource.body.get("region") is None:
                providers.add(resource.provider)
    found += [
        Dependency(root.directory, name, "provider", f"configured for {lost}")
        for name in sorted(providers)
    ]
    if backend_region == lost:
        found.append(Dependency(root.directory, "backend", "backend", f"state kept in {lost}"))
    return found


def _global_control_plane(resource: Resource) -> bool:
    regional = resource.type.startswith(_REGIONAL_ROUTE53)
    return resource.type.startswith(GLOBAL_CONTROL_PLANE_PREFIXES) and not regional


def _remote_state(root: Root, resource: Resource, lost: str) -> list[Dependency]:
    config = resource.values.get("config")
    region = config.get("region") if isinstance(config, dict) else None
    target = root.remote_states.get(resource.address)
    target_region = backend_region_of(target) if target is not None else None
    if lost in (region, target_region):
        return [
            Dependency(root.directory, resource.address, "remote state",
                       f"reads state kept in {lost}")
        ]  # fmt: skip
    return []


def backend_region_of(root: Root) -> str | None:
    if root.backend is None:
        return None
    kind, settings = root.backend
    return settings.get("region") if kind == "s3" else None
