"""What a bucket or table is for, when that is not application data.

- ``lock``: a Terraform state-lock table (``hash_key = "LockID"``): recreated empty, no DR data.
- ``log``: a bucket that receives logs or reports (the target of S3 access logging, load
  balancer, CloudTrail, CloudFront, flow or WAF logs, S3 inventory or analytics exports; a bucket
  policy or ACL that lets a log-delivery service write; or a name saying so): not DR data.
- ``state``: a bucket holding Terraform state (a scanned backend or remote state names it, it
  sits beside a lock table, or its name says so): not application data, but needed to operate
  the recovery, so it gets its own message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from drgen.lint.checks.facts import targets, text, value_at
from drgen.lint.evaluation.scope import block_references
from drgen.lint.model.roots import Resource, Root
from drgen.lint.topology.links import natural_id

LOCK = "lock"
LOG = "log"
STATE = "state"

# (resource type, dotted path of the argument naming the bucket that receives its logs/reports)
_LOG_TARGETS = (
    ("aws_s3_bucket_logging", "target_bucket"),
    ("aws_s3_bucket", "logging.target_bucket"),
    ("aws_lb", "access_logs.bucket"),
    ("aws_alb", "access_logs.bucket"),
    ("aws_elb", "access_logs.bucket"),
    ("aws_cloudtrail", "s3_bucket_name"),
    ("aws_flow_log", "log_destination"),
    ("aws_cloudfront_distribution", "logging_config.bucket"),
    ("aws_s3_bucket_inventory", "destination.bucket.bucket_arn"),
    (
        "aws_s3_bucket_analytics_configuration",
        "storage_class_analysis.data_export.destination.s3_bucket_destination.bucket_arn",
    ),
    ("aws_config_delivery_channel", "s3_bucket_name"),
)
# Principals (service names, or data sources standing for log-delivery accounts) that only
# write logs and reports into a bucket.
_LOG_WRITERS = (
    "delivery.logs.amazonaws.com",
    "logging.s3.amazonaws.com",
    "logdelivery.elasticloadbalancing.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "s3.amazonaws.com",  # S3 itself writes only inventory, analytics and access-log reports
)
_LOG_ACCOUNTS = (
    "data.aws_elb_service_account.",
    "data.aws_cloudfront_log_delivery_canonical_user_id.",
)
_BUCKET_WRITERS = ("aws_s3_bucket_policy", "aws_s3_bucket_acl")
_LOG_WORDS = frozenset(
    {"log", "logs", "logging", "accesslogs", "cloudtrail", "flowlogs", "alblogs"}
)
_WORD = re.compile(r"[a-z0-9]+")


def role(root: Root, resource: Resource) -> str | None:
    """``lock``, ``log``, ``state`` or None (application data, as far as drgen can tell)."""
    if resource.type == "aws_dynamodb_table":
        return _is_lock(resource)
    if resource.type != "aws_s3_bucket":
        return None
    if _holds_state(root, resource):
        return STATE
    if _receives_logs(root, resource):
        return LOG
    return None


def _is_lock(table: Resource) -> str | None:
    return LOCK if text(table.values.get("hash_key")) == "LockID" else None


def _derived(root: Root, name: str, derive: Callable[[], frozenset[object]]) -> frozenset[object]:
    """One derivation per root (and per model size), whichever bucket asks first: asking per
    bucket would make lint quadratic in buckets."""
    size = len(root.resources)
    cached = root.memo.get(name)
    if cached is None or cached[0] != size:
        cached = root.memo[name] = (size, derive())
    fact = cached[1]
    assert isinstance(fact, frozenset)
    return fact


def _log_receivers(root: Root) -> frozenset[object]:
    """ids of the buckets a resource (here or in a linked root) sends logs or reports to."""
    found: set[object] = set()
    for kind, path in _LOG_TARGETS:
        for user in root.linked_of_type(kind):
            for target in targets(root, user, value_at(user.values, path), "aws_s3_bucket"):
                if target is not user:
                    found.add(id(target))
    return frozenset(found)


def _receives_logs(root: Root, bucket: Resource) -> bool:
    if id(bucket) in _derived(root, "log-receivers", lambda: _log_receivers(root)):
        return True
    home = root.home(bucket)
    for writer in home.referrers(bucket, *_BUCKET_WRITERS):
        if any(_lets_logs_in(home, document) for document in _closure(home, writer)):
            return True
    return bool(_LOG_WORDS & set(_words(bucket)))


def _holds_state(root: Root, bucket: Resource) -> bool:
    home = root.home(bucket)
    if natural_id(bucket) in home.state_buckets:
        return True
    words = set(_words(bucket))
    if "tfstate" in words or {"terraform", "state"} <= words:
        return True
    locked = _derived(
        home,
        "lock-table-modules",
        lambda: frozenset(t.module_path for t in home.of_type("aws_dynamodb_table") if _is_lock(t)),
    )
    return bucket.module_path in locked


def _closure(root: Root, start: Resource) -> Iterator[Resource]:
    """``start`` and the policy documents it draws on (``source_policy_documents`` and kin)."""
    seen = {start.address}
    pending = [start]
    while pending:
        current = pending.pop()
        yield current
        for used in root.referenced_by(current):
            if used.type == "aws_iam_policy_document" and used.address not in seen:
                seen.add(used.address)
                pending.append(used)


def _lets_logs_in(root: Root, resource: Resource) -> bool:
    """A bucket policy or ACL (or a document it uses) granting a log-delivery principal."""
    for principal in _strings_and_references(resource):
        if principal in _LOG_WRITERS or principal.startswith(_LOG_ACCOUNTS):
            return True
    return False


def _strings_and_references(resource: Resource) -> Iterator[str]:
    yield from block_references(resource.body)
    stack = [resource.values]
    while stack:
        block = stack.pop()
        stack.extend(block.blocks)
        for value in block.attributes.values():
            items = value if isinstance(value, list) else [value]
            yield from (i for i in items if isinstance(i, str))


def _words(bucket: Resource) -> Iterator[str]:
    """Words of the names a user gave the bucket: its name or prefix, its resource name and
    the names of the module calls that created it."""
    names = [bucket.name, *bucket.module_path]
    for argument in ("bucket", "bucket_prefix"):
        literal = text(bucket.values.get(argument))
        if literal:
            names.append(literal)
    for name in names:
        yield from _WORD.findall(name.lower())
