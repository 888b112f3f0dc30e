"""DR026: S3 replication that copies deletes into a bucket that is the only other copy.

With ``delete_marker_replication`` enabled, a delete in the source (a mistake, a script, an
attacker) becomes a delete marker in the replica too: the replica follows the source and is not
a backup. It is one when the destination has S3 Object Lock (versions cannot be removed
before their retention ends); and the data has one when either bucket has a cross-region AWS
Backup copy (bidirectional replication backs up one side).
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import first
from drgen.lint.checks.facts import is_enabled, pointing_at, truth
from drgen.lint.checks.s3 import replications
from drgen.lint.engine import CheckContext, Violation
from drgen.lint.model import Resource, Root

LOCK = "aws_s3_bucket_object_lock_configuration"


def check_delete_markers_into_unlocked(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for replication in replications(root):
        copies_deletes = is_enabled(first(replication.rule, "delete_marker_replication"))
        if copies_deletes is False:
            continue
        if copies_deletes is None or not replication.destination_known:
            yield Violation(
                replication.configuration,
                f"{replication.configuration.address}: cannot tell whether deletes replicate "
                "into a locked bucket",
                unresolved=True,
            )
            continue
        for destination in replication.destinations:
            locked = _locked(root, destination)
            buckets = (*replication.sources, destination)
            backed_up = {has_cross_region_backup(root, b) for b in buckets}
            if locked or True in backed_up:
                continue
            if locked is None or None in backed_up or not replication.sources:
                yield Violation(
                    replication.configuration,
                    f"{replication.configuration.address}: cannot tell whether "
                    f"{destination.address} is locked or either bucket backed up",
                    unresolved=True,
                )
                continue
            yield Violation(
                replication.configuration,
                f"{replication.configuration.address} replicates delete markers into "
                f"{destination.address}, which has no Object Lock, and neither bucket has a "
                "cross-region backup: a delete in the source deletes the replica's current "
                "objects too, so the replica is not a backup; enable Object Lock on the "
                "destination (object_lock_enabled = true with a retention), back a bucket up "
                "with AWS Backup to another region, or disable delete_marker_replication.",
                line=replication.rule.line_of("delete_marker_replication"),
            )


def _locked(root: Root, bucket: Resource) -> bool | None:
    if pointing_at(root, bucket, (LOCK,), "bucket"):
        return True
    return truth(bucket.values.get("object_lock_enabled"), default=False)
