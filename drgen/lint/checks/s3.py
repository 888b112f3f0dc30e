"""S3: buckets without a copy in another region (DR001), replication that will not work (DR002)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import first, nested
from drgen.lint.checks.facts import (
    blocks_at,
    is_enabled,
    is_resolvable,
    is_set,
    may_denote,
    names_outside,
    other_region,
    pointing_at,
    targets,
    text,
    truth,
    unresolved_pointers,
    value_at,
    value_line,
)
from drgen.lint.checks.replication_roles import role_problem
from drgen.lint.checks.roles import LOG, STATE, role
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root, Value

BUCKET = "aws_s3_bucket"
REPLICATION = "aws_s3_bucket_replication_configuration"
_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


@dataclass(frozen=True)
class Replication:
    """One rule of a replication configuration, with the buckets it connects (when resolved)."""

    configuration: Resource
    rule: Block
    sources: tuple[Resource, ...]
    destinations: tuple[Resource, ...]
    source_known: bool  # False: the source bucket is an expression drgen cannot follow
    destination_known: bool
    source: Value  # the source bucket and the destination bucket as written (evaluated)
    destination: Value
    # the destination is a literal name or ARN of no bucket drgen scanned (its region unknown)
    destination_outside: bool = False


def replications(root: Root, *, linked: bool = False) -> Iterator[Replication]:
    """Rules of the root's replication configurations (``linked``: of its linked roots too)."""
    found = root.linked_of_type(REPLICATION) if linked else root.of_type(REPLICATION)
    for configuration in found:
        source = configuration.values.get("bucket")
        sources = targets(root, configuration, source, BUCKET)
        for rule in nested(configuration.values, "rule"):
            destination = value_at(rule, "destination.bucket")
            yield Replication(
                configuration=configuration,
                rule=rule,
                sources=tuple(sources),
                destinations=tuple(targets(root, configuration, destination, BUCKET)),
                source_known=is_resolvable(root, configuration, source, BUCKET),
                source=source,
                destination=destination,
                destination_known=is_resolvable(root, configuration, destination, BUCKET),
                destination_outside=names_outside(root, configuration, destination, BUCKET),
            )


def versioning_enabled(root: Root, bucket: Resource) -> bool | None:
    if bucket.mode == "data":
        return None  # a bucket managed elsewhere: its versioning is not in this code
    if truth(value_at(bucket.values, "versioning.enabled")):
        return True  # the pre-v4 inline block, still found in older code
    kind = ("aws_s3_bucket_versioning",)
    statuses = [
        text(value_at(v.values, "versioning_configuration.status"))
        for v in pointing_at(root, bucket, kind, "bucket")
    ]
    if "Enabled" in statuses:
        return True
    unknown = None in statuses or unresolved_pointers(root, kind, "bucket")
    return None if unknown else False


def uses_sse_kms(root: Root, bucket: Resource) -> bool | None:
    if bucket.mode == "data":
        return None  # a bucket managed elsewhere: its encryption is not in this code
    configurations = pointing_at(
        root, bucket, ("aws_s3_bucket_server_side_encryption_configuration",), "bucket"
    )
    defaults = "rule.apply_server_side_encryption_by_default"
    inline = blocks_at(bucket.values, f"server_side_encryption_configuration.{defaults}")
    algorithms = [text(value_at(b, "sse_algorithm")) for b in inline] + [
        text(value_at(b, "sse_algorithm"))
        for c in configurations
        for b in blocks_at(c.values, defaults)
    ]
    if any(a in _KMS_ALGORITHMS for a in algorithms):
        return True
    return None if None in algorithms else False


def replicates_to_other_region(root: Root, bucket: Resource) -> bool | None:
    answers: set[bool | None] = set()
    for replication in replications(root, linked=True):
        if not replication.source_known and may_denote(
            root, replication.configuration, replication.source, bucket
        ):
            answers.add(None)  # it may be this bucket's replication
        if not any(s is bucket for s in replication.sources):
            continue
        if why_rule_copies_nothing(root, bucket, replication):
            continue  # a rule S3 never runs on this bucket's objects is no copy
        answers |= {other_region(bucket.region, d.region) for d in replication.destinations}
        if not replication.destination_known or replication.destination_outside:
            answers.add(None)
    if True in answers:
        return True
    return None if None in answers else False


def why_rule_copies_nothing(root: Root, bucket: Resource, replication: Replication) -> str:
    """Why S3 replicates none of ``bucket``'s new objects under this rule ("" when it may):
    the rule is disabled, or the bucket encrypts with SSE-KMS and the rule does not select
    KMS-encrypted objects (S3 skips them silently)."""
    if text(replication.rule.get("status")) == "Disabled":
        return "its rule is disabled"
    if uses_sse_kms(root, bucket) and not _replicates_kms(replication.rule):
        return (
            "its objects are SSE-KMS encrypted and the rule does not select KMS-encrypted "
            "objects (source_selection_criteria.sse_kms_encrypted_objects), so S3 skips them"
        )
    return _role_problem(root, replication) or ""


def _role_problem(root: Root, replication: Replication) -> str | None:
    encrypted = {uses_sse_kms(root, s) for s in replication.sources}
    kms_source = True if True in encrypted else (None if None in encrypted else False)
    return role_problem(
        root,
        replication.configuration,
        replication.sources,
        replication.destinations,
        kms_source,
    )


def check_replication_role(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR029: replication whose role S3 cannot replicate with (judged once per configuration)."""
    judged: set[int] = set()
    for replication in replications(root):
        configuration = replication.configuration
        if id(configuration) in judged:
            continue
        judged.add(id(configuration))
        problem = _role_problem(root, replication)
        if problem is None:
            yield Violation(
                configuration,
                f"{configuration.address}: cannot tell whether its role may replicate",
                unresolved=True,
            )
        elif problem:
            yield Violation(
                configuration,
                f"{configuration.address} replicates nothing: {problem}, so every object "
                "fails to replicate and the destination stays empty; allow the role "
                "s3:GetReplicationConfiguration and s3:ListBucket on the source bucket, "
                "s3:GetObjectVersionForReplication (with s3:GetObjectVersionAcl and "
                "s3:GetObjectVersionTagging) on its objects, and s3:ReplicateObject, "
                "s3:ReplicateDelete and s3:ReplicateTags on the destination's objects.",
                line=configuration.values.line_of("role"),
            )


def _broken_replication(root: Root, bucket: Resource) -> str:
    """Why the replication rules of ``bucket`` copy nothing, when it has rules and none copies."""
    reasons = [
        why_rule_copies_nothing(root, bucket, r)
        for r in replications(root, linked=True)
        if any(s is bucket for s in r.sources)
    ]
    return reasons[0] if reasons and all(reasons) else ""


def check_bucket_has_copy(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR001: a bucket that is no replication destination has no copy in another region."""
    found = list(replications(root, linked=True))
    destinations = {id(d) for r in found for d in r.destinations}
    unknown = [r for r in found if not r.destination_known]
    for bucket in root.of_type(BUCKET):
        if id(bucket) in destinations:
            continue  # the copy itself
        answers = {replicates_to_other_region(root, bucket), has_cross_region_backup(root, bucket)}
        if any(may_denote(root, r.configuration, r.destination, bucket) for r in unknown):
            answers.add(None)  # it may be the copy of a bucket drgen cannot follow
        if True in answers:
            continue
        purpose = role(root, bucket)
        if purpose == LOG:
            continue  # logs and reports are not DR data
        where = f"{bucket.address} ({bucket.region or 'region unknown'})"
        if None in answers:
            yield Violation(
                bucket,
                f"{where}: cannot tell whether it has a copy in another region",
                unresolved=True,
                kind="undecided-copy",
            )
            continue
        if purpose == STATE:
            yield Violation(
                bucket,
                f"{where} holds Terraform state and has no copy in another region: the state "
                "is what you need to operate the recovery (apply the recovery roots, read their "
                "outputs), so a loss of this region blocks the failover; replicate it to the "
                "recovery region, or keep the recovery roots' state in a bucket there.",
                kind="state-bucket",
            )
            continue
        broken = _broken_replication(root, bucket)
        if broken:
            yield Violation(
                bucket,
                f"{where} has no copy in another region: its replication copies nothing "
                f"({broken}); fix the rule (see DR002), or cover the bucket by an AWS Backup "
                "plan whose rule copies to a vault in another region.",
                kind="no-cross-region-copy",
            )
            continue
        yield Violation(
            bucket,
            f"{where} has no copy in another region: add an {REPLICATION} to a versioned bucket "
            "in another region, or cover it by an AWS Backup plan whose rule copies to a vault "
            "in another region.",
            kind="no-cross-region-copy",
        )


def check_replication_works(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR002: replication rules that silently copy nothing (or nothing useful) for DR."""
    for replication in replications(root):
        configuration, rule = replication.configuration, replication.rule
        name = configuration.address
        rule_name = text(rule.get("id")) or f"at line {rule.line}"
        if text(rule.get("status")) == "Disabled":
            yield Violation(
                configuration,
                f"{name}: rule {rule_name} is disabled, so nothing is replicated: set "
                'status = "Enabled".',
                line=rule.line_of("status"),
                kind=f"rule-disabled:{rule_name}",
            )
        for source in replication.sources:
            yield from _versioning(root, configuration, source, "source", configuration.line)
            if uses_sse_kms(root, source) and not _replicates_kms(rule):
                yield Violation(
                    configuration,
                    f"{name}: {source.address} uses SSE-KMS but rule {rule_name} lacks "
                    "source_selection_criteria.sse_kms_encrypted_objects (status Enabled) and a "
                    "destination encryption_configuration.replica_kms_key_id, so KMS-encrypted "
                    "objects are silently not replicated: add both.",
                    line=rule.line,
                    kind=f"kms-not-replicated:{rule_name}:{source.address}",
                )
        for destination in replication.destinations:
            yield from _versioning(root, configuration, destination, "destination", rule.line)
            for source in replication.sources:
                same = other_region(source.region, destination.region)
                if same is None:
                    yield Violation(
                        configuration,
                        f"{name}: cannot tell whether {destination.address} is in another region "
                        f"than {source.address}",
                        unresolved=True,
                        kind=f"undecided-region:{destination.address}",
                    )
                elif not same:
                    yield Violation(
                        configuration,
                        f"{name}: destination {destination.address} is in the same region as "
                        f"{source.address} ({source.region}), so a region loss takes both: "
                        "replicate to a bucket in another region.",
                        line=value_line(rule, "destination.bucket"),
                        kind=f"same-region:{rule_name}:{destination.address}",
                    )
        destination_block = first(rule, "destination")
        if (
            destination_block is not None
            and is_enabled(first(destination_block, "replication_time"))
            and not is_enabled(first(destination_block, "metrics"))
        ):
            yield Violation(
                configuration,
                f"{name}: rule {rule_name} enables Replication Time Control without metrics, "
                "which RTC requires: add destination.metrics with status Enabled.",
                line=destination_block.line_of("replication_time"),
                kind=f"rtc-without-metrics:{rule_name}",
            )


def _replicates_kms(rule: Block) -> bool:
    criteria = is_enabled(
        next(iter(blocks_at(rule, "source_selection_criteria.sse_kms_encrypted_objects")), None)
    )
    key = is_set(rule, "destination.encryption_configuration.replica_kms_key_id")
    return bool(criteria) and key is not False


def _versioning(
    root: Root, configuration: Resource, bucket: Resource, side: str, line: int
) -> Iterator[Violation]:
    enabled = versioning_enabled(root, bucket)
    if enabled is None:
        yield Violation(
            configuration,
            f"{configuration.address}: cannot tell whether versioning is on for {bucket.address}",
            unresolved=True,
            kind=f"undecided-versioning:{bucket.address}",
        )
    elif not enabled:
        yield Violation(
            configuration,
            f"{configuration.address}: versioning is off on the {side} bucket {bucket.address}, "
            "which S3 replication requires: add an aws_s3_bucket_versioning with "
            'versioning_configuration { status = "Enabled" }.',
            line=line,
            kind=f"versioning-off:{side}:{bucket.address}",
        )
