"""DR026: S3 replication that copies deletes into a copy whose lifecycle then loses them.

With ``delete_marker_replication`` enabled, a delete in the source (a mistake, a script, an
attacker) becomes a delete marker in the replica too: the replica follows the source. S3 never
replicates the removal of a version, so the objects survive as noncurrent versions, and
undeleting them is possible, until a lifecycle rule of the destination expires noncurrent
versions: from then on a delete in the source is a loss in both copies. It is no loss when the
destination has S3 Object Lock (versions cannot be removed before their retention ends), or
when either bucket has a cross-region AWS Backup copy (bidirectional replication backs up one
side).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import first, nested, optional_nested
from drgen.lint.checks.facts import is_enabled, pointing_at, text, truth
from drgen.lint.checks.s3 import replications
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

LOCK = "aws_s3_bucket_object_lock_configuration"
LIFECYCLE = "aws_s3_bucket_lifecycle_configuration"


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
            expiry = _noncurrent_expiry(root, destination)
            if expiry.expires is False:
                continue
            if (
                locked is None
                or None in backed_up
                or not replication.sources
                or expiry.expires is None
            ):
                yield Violation(
                    replication.configuration,
                    f"{replication.configuration.address}: cannot tell whether "
                    f"{destination.address} is locked, either bucket backed up, or the "
                    "destination's noncurrent versions expire",
                    unresolved=True,
                )
                continue
            after = f" after {expiry.days} days" if expiry.days else ""
            yield Violation(
                replication.configuration,
                f"{replication.configuration.address} replicates delete markers into "
                f"{destination.address}, whose lifecycle expires noncurrent versions{after}, "
                "with no Object Lock and no cross-region backup of either bucket: a delete in "
                "the source hides the objects in the replica too, and the lifecycle then "
                "removes them, so the replica is not a backup; enable Object Lock on the "
                "destination (object_lock_enabled = true with a retention), back a bucket up "
                "with AWS Backup to another region, or disable delete_marker_replication.",
                line=replication.rule.line_of("delete_marker_replication"),
            )


def _locked(root: Root, bucket: Resource) -> bool | None:
    if pointing_at(root, bucket, (LOCK,), "bucket"):
        return True
    return truth(bucket.values.get("object_lock_enabled"), default=False)


@dataclass(frozen=True)
class _Expiry:
    expires: bool | None  # None: cannot tell
    days: str | None  # the shortest known noncurrent_days of an enabled rule


def _noncurrent_expiry(root: Root, bucket: Resource) -> _Expiry:
    """Whether a lifecycle rule of ``bucket`` removes its noncurrent versions."""
    answers: set[bool | None] = set()
    days: list[int] = []
    configurations = pointing_at(root, bucket, (LIFECYCLE,), "bucket")
    for rule in (r for c in configurations for r in nested(c.values, "rule")):
        expirations = nested(rule, "noncurrent_version_expiration")
        if not expirations:
            continue
        maybe = optional_nested(rule, "noncurrent_version_expiration")
        enabled = is_enabled(rule)
        answers.add(None if all(any(e is m for m in maybe) for e in expirations) else enabled)
        if enabled:
            known = (text(e.get("noncurrent_days")) for e in expirations)
            days += [int(d) for d in known if d is not None and d.isdigit()]
    # the inline form of provider v3 (deprecated, still accepted)
    for rule in nested(bucket.values, "lifecycle_rule"):
        if nested(rule, "noncurrent_version_expiration"):
            answers.add(truth(rule.get("enabled")))
    expires = True if True in answers else (None if None in answers else False)
    return _Expiry(expires, str(min(days)) if days else None)
