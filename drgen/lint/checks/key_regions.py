"""Which regions a KMS key argument names: AWS takes a key only in the resource's own region."""

from __future__ import annotations

from drgen.lint.checks.facts import arn_region, targets
from drgen.lint.model.roots import Resource, Root, Value

KEY_TYPES = ("aws_kms_key", "aws_kms_replica_key")


def key_regions(root: Root, user: Resource, value: Value) -> set[str] | None:
    """The regions of the key(s) ``value`` names (None: cannot tell; empty: no key given).

    A key declared here gives its own region (an ``aws_kms_replica_key`` is the key in the
    replica's region, even though it shares the primary's key id); else a literal ARN its
    region. A bare key id, an alias name or an expression drgen cannot follow is unknown.
    """
    if value is None:
        return set()
    keys = targets(root, user, value, *KEY_TYPES)
    if keys:
        regions = {key.region for key in keys}
        return None if None in regions else {r for r in regions if r is not None}
    literal = arn_region(value)
    return {literal} if literal is not None else None
