"""Whether an S3 replication configuration's role may do what S3 replication needs.

S3 replicates as the configuration's role: it must be allowed to read the source's object
versions and ``s3:ReplicateObject`` on the destination bucket's objects to write them. The
read is ``s3:GetObjectVersionForReplication``; ``s3:GetObjectVersion`` (AWS's older example
policies) also replicates unencrypted and SSE-S3 objects, but not SSE-KMS ones, so it
suffices only when the source bucket does not encrypt with KMS. A role allowed to replicate
only into its own source bucket (a copy-paste of the source ARN) writes nothing anywhere.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from drgen.lint.checks.facts import targets
from drgen.lint.checks.iam_policies import ROLE, role_permissions
from drgen.lint.model.roots import Resource, Root, Value
from drgen.lint.topology.links import literal_text, natural_id

READ = "s3:GetObjectVersionForReplication"
OLDER_READ = "s3:GetObjectVersion"
WRITE = "s3:ReplicateObject"
BUCKET = "aws_s3_bucket"
_S3_ARN = ":s3:::"  # after "arn:<partition>"


def role_problem(
    root: Root,
    configuration: Resource,
    sources: tuple[Resource, ...],
    destinations: tuple[Resource, ...],
    kms_source: bool | None,
) -> str | None:
    """Why the role cannot replicate from ``sources`` (``kms_source``: whether one encrypts
    with SSE-KMS) into ``destinations``; "" when it can as far as drgen can read; None when
    drgen cannot tell."""
    named = configuration.values.get("role")
    roles = targets(root, configuration, named, ROLE)
    if len(roles) != 1:
        # a literal ARN of a role outside the stack: its policies are not drgen's to read
        return "" if not roles and literal_text(named) is not None else None
    role = roles[0]
    permissions = role_permissions(root, role)
    read = permissions.allows(READ)
    if read is not True and kms_source is not True:
        older = permissions.allows(OLDER_READ)
        if older is True and kms_source is False:
            read = True
        elif read is False and older is not False:
            read = None
    if read is False:
        return (
            f"its role {role.address} is not allowed {READ}, which S3 replication needs to "
            "read the source's object versions (s3:GetObjectVersion does not replicate the "
            "SSE-KMS objects of this source)"
            if kms_source
            else f"its role {role.address} is not allowed to read object versions ({READ})"
        )
    granting = permissions.granting(WRITE)
    if not granting:
        if permissions.allows(WRITE) is False:
            return f"its role {role.address} is not allowed {WRITE} on the destination"
        return None
    if not destinations:
        return None
    reach = [_reach(root, s.owner, r, sources, destinations) for s in granting for r in s.resources]
    if "destination" in reach:
        return "" if read else None
    if None in reach or not reach:
        return None
    where = "its source bucket" if set(reach) == {"source"} else "other buckets"
    return (
        f"its role {role.address} is allowed {WRITE} only on {where}, not on the destination "
        f"{', '.join(d.address for d in destinations)}"
    )


def _reach(
    root: Root,
    owner: Resource,
    resource: Value,
    sources: tuple[Resource, ...],
    destinations: tuple[Resource, ...],
) -> str | None:
    """Which bucket a statement's resource lets the role write to: "destination", "source",
    "other", or None when drgen cannot follow it."""
    literal = literal_text(resource)
    if literal is not None and (literal == "*" or _S3_ARN in literal):
        return _reach_arn(literal, sources, destinations)
    named = targets(root, owner, resource, BUCKET)
    if not named:
        return None
    if any(n is d for n in named for d in destinations):
        return "destination"
    return "source" if all(any(n is s for s in sources) for n in named) else "other"


def _reach_arn(
    arn: str, sources: tuple[Resource, ...], destinations: tuple[Resource, ...]
) -> str | None:
    """A literal (or shaped) resource: ``*``, or an S3 ARN whose bucket part (wildcards
    allowed) matches the buckets' names."""
    if arn == "*":
        return "destination"
    pattern = arn.split(_S3_ARN, 1)[1].split("/")[0]
    names = [natural_id(d) for d in destinations]
    if any(n is not None and fnmatchcase(n, pattern) for n in names):
        return "destination"
    if None in names:
        return None
    source_names = [natural_id(s) for s in sources]
    if source_names and all(n is not None and fnmatchcase(n, pattern) for n in source_names):
        return "source"
    return "other"
