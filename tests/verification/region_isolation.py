"""The roots an operator needs while the primary region is down name nothing in it.

docs/design/multi-root-layout.md: `2-recovery-storage` and `4-recovery` declare nothing in
the primary region (no resource, data source, provider, backend or remote state there) and
no IAM or Route 53 resource; only `1-global` and `5-dns` read a Route 53 zone. Checked on
HashiCorp's parse (hcl2json) of each root plus the raw text for the primary region's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from .aws_schema import declarations

RECOVERY_ROOTS = ("2-recovery-storage", "4-recovery")
ZONE_ROOTS = ("1-global", "5-dns")
# A replica names its source by ARN, which holds the source's region: its identity, not a
# dependency (the replica is promoted without it, and the next apply ignores it).
SOURCE_IDENTITY = ("replicate_source_db",)
# Computed by Terraform itself, no AWS call: allowed in any root.
LOCAL_DATA = ("aws_iam_policy_document", "aws_caller_identity", "aws_partition")


def isolation_problems(
    parsed: Mapping[str, Mapping[str, Any]], texts: Mapping[str, str], primary_region: str
) -> list[str]:
    """``parsed``/``texts`` map a tree-relative ``.tf`` path to its hcl2json and its text."""
    problems: list[str] = []
    for file, document in sorted(parsed.items()):
        root = str(PurePosixPath(file).parent)
        for decl in declarations(file, document):
            where = f"{file}: {decl.address}"
            if decl.type == "aws_route53_zone" and decl.kind == "data" and root not in ZONE_ROOTS:
                problems.append(f"{where}: only 1-global and 5-dns may read the hosted zone")
            if root not in RECOVERY_ROOTS:
                continue
            if "region" in decl.body:
                problems.append(f"{where}: names a region other than its root's own")
            if decl.type == "terraform_remote_state":
                problems.append(f"{where}: reads another root's state")
            if decl.type.startswith(("aws_iam_", "aws_route53_")) and decl.type not in LOCAL_DATA:
                problems.append(f"{where}: IAM and Route 53 belong in 1-global / 5-dns")
            for argument in SOURCE_IDENTITY:
                value = str(decl.body.get(argument, ""))
                if value and primary_region not in value:
                    problems.append(f"{where}: {argument} does not name its source region")
        if root in RECOVERY_ROOTS:
            problems += _provider_and_backend(file, document)
            problems += _mentions(file, texts[file], primary_region)
    return problems


def _provider_and_backend(file: str, document: Mapping[str, Any]) -> list[str]:
    problems = []
    for body in document.get("provider", {}).get("aws", []):
        if body.get("region") != "${var.secondary_region}" or "alias" in body:
            problems.append(f"{file}: the aws provider must use the recovery region only")
    for terraform in document.get("terraform", []):
        if terraform.get("backend"):
            problems.append(f"{file}: a backend belongs in backend.tf (from the example)")
    if "primary_region" in document.get("variable", {}):
        problems.append(f"{file}: declares the primary region as a variable")
    return problems


def _mentions(file: str, text: str, primary_region: str) -> list[str]:
    """Lines naming the primary region, other than a replica's source identity."""
    return [
        f"{file}:{number}: names the primary region {primary_region}"
        for number, line in enumerate(text.splitlines(), 1)
        if primary_region in line and not line.lstrip().startswith(SOURCE_IDENTITY)
    ]


def backend_problems(
    files: Mapping[str, str], roots: tuple[str, ...], regions: tuple[str, str]
) -> list[str]:
    """Each root's backend example keeps its state in the root's own region (S3, lockfile)."""
    primary, recovery = regions
    problems = []
    for root in roots:
        text = files.get(f"{root}/backend.tf.example", "")
        region = primary if root == "3-primary" else recovery
        for needed in ('backend "s3"', f'region       = "{region}"', "use_lockfile = true"):
            if needed not in text:
                problems.append(f"{root}/backend.tf.example: lacks {needed}")
    return problems
