"""DR013: replicated data whose KMS key or Secrets Manager secret exists in one region only.

A key exists in its own region and in the regions of its ``aws_kms_replica_key``s; a secret in
its own region and its ``replica`` regions. Findings, on the key or secret:

- a resource in another region refers to it (an RDS replica, an Aurora secondary or a bucket
  encrypted there with the primary's key cannot decrypt after losing the primary region);
- a DynamoDB table encrypted with it has replicas without a key of their own;
- an S3 replication rule re-encrypts replicas with it in a region where it does not exist;
- a database with a copy in another region reads the secret (directly or through a secret
  version): after a failover the copy has no credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.dynamodb import TABLE, replicas
from drgen.lint.checks.facts import blocks_at, pointing_at, targets, text, value_at
from drgen.lint.checks.rds import CLUSTER, INSTANCE, copies_of
from drgen.lint.checks.s3 import replications
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root

KEY = "aws_kms_key"
SECRET = "aws_secretsmanager_secret"
_SECRET_VERSION = "aws_secretsmanager_secret_version"
# kms_key_id, kms_key_arn, kms_master_key_id, replica_kms_key_id, key_id, encryption_key ...
_KEY_ARGUMENT = re.compile(r"kms|key_id$|key_arn$|encryption_key")
_GLOBAL_SERVICES = ("aws_iam_", "aws_route53_", "aws_cloudfront_", "aws_organizations_")
# Resources that name a key or secret without holding data in their own region: the replica
# key itself, key management, and the replication configuration (which names the DR region's
# replica key from the source region).
_NOT_DEPENDENTS = (
    "aws_kms_replica_key",
    "aws_kms_alias",
    "aws_kms_grant",
    "aws_kms_key_policy",
    "aws_s3_bucket_replication_configuration",
)


def check_single_region_secrets(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for holder in root.of_type(KEY, SECRET):
        needing = set(_regions_needing(root, holder))
        regions = _regions(root, holder)
        if None in regions or None in needing:
            if needing - {holder.region}:
                yield Violation(
                    holder,
                    f"{holder.address}: cannot tell whether it exists in every region that "
                    "needs it",
                    unresolved=True,
                    kind="undecided-regions",
                )
            continue
        needed = sorted({r for r in needing if r is not None} - regions)
        if needed:
            yield Violation(holder, _message(holder, needed), kind="single-region")


def _regions(root: Root, holder: Resource) -> set[str | None]:
    if holder.type == KEY:
        replica_keys = pointing_at(root, holder, ("aws_kms_replica_key",), "primary_key_arn")
        return {holder.region} | {r.region for r in replica_keys}
    return {holder.region} | {text(b.get("region")) for b in nested(holder.values, "replica")}


def _regions_needing(root: Root, holder: Resource) -> Iterator[str | None]:
    """Regions where data or a copy depends on ``holder``."""
    for user in _users(root, holder):
        if not user.type.startswith(_GLOBAL_SERVICES) and user.type not in _NOT_DEPENDENTS:
            yield user.region
    if holder.type == KEY:
        for table in root.of_type(TABLE):
            key = value_at(table.values, "server_side_encryption.kms_key_arn")
            if any(t is holder for t in targets(root, table, key, KEY)):
                for block in replicas(root, table).blocks:
                    if "kms_key_arn" not in block.attributes:
                        yield text(block.get("region_name"))
        for replication in replications(root):
            for configuration in blocks_at(
                replication.rule, "destination.encryption_configuration"
            ):
                key = configuration.get("replica_kms_key_id")
                if any(t is holder for t in targets(root, replication.configuration, key, KEY)):
                    yield from (d.region for d in replication.destinations)
    else:  # a database's credentials are needed wherever a copy of it may be promoted
        for database in root.of_type(INSTANCE, CLUSTER):
            if any(u is database for u in _users(root, holder)):
                yield from (copy.region for copy in copies_of(root, database))


def _users(root: Root, holder: Resource) -> list[Resource]:
    """Resources that use ``holder``: encrypt with the key (an argument naming a KMS key
    refers to it), or read the secret (directly or through a secret version)."""
    direct = root.referrers(holder)
    if holder.type == KEY:
        return [u for u in direct if _encrypts_with(root, u, u.values, holder)]
    seen = {u.address for u in direct}
    versions = [u for u in direct if u.type == _SECRET_VERSION]
    return direct + [u for v in versions for u in root.referrers(v) if u.address not in seen]


def _encrypts_with(root: Root, user: Resource, block: Block, key: Resource) -> bool:
    for name, value in block.attributes.items():
        if _KEY_ARGUMENT.search(name) and any(t is key for t in targets(root, user, value, KEY)):
            return True
    return any(_encrypts_with(root, user, nested, key) for nested in block.blocks)


def _message(holder: Resource, needed: list[str]) -> str:
    where = f"{holder.address} ({holder.region})"
    regions = ", ".join(needed)
    if holder.type == KEY:
        return (
            f"{where} exists in one region only, but data in {regions} depends on it: after a "
            "region loss the copy cannot be decrypted; make it a multi-Region key "
            "(multi_region = true) with an aws_kms_replica_key in "
            f"{regions}, or give the copy its own key there."
        )
    return (
        f"{where} exists in one region only, but {regions} needs it after a failover: add a "
        f"replica {{ region = ... }} block for {regions}."
    )
