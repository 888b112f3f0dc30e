"""AWS resource names built from the workload and store names, cut to each service's limit.

Spec names are at most 31 characters, so joined names can exceed AWS limits (IAM role
``name_prefix`` 38, S3 ``bucket_prefix`` 37, load balancer names 32, RDS identifiers 63).
Names are cut, never end in a hyphen, and so never produce ``--`` when a suffix is appended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def aws_name(parts: Sequence[str], limit: int) -> str:
    """``"-".join(parts)`` cut to ``limit`` characters, without a trailing hyphen."""
    return "-".join(parts)[:limit].rstrip("-")


def aws_name_prefix(parts: Sequence[str], limit: int) -> str:
    """A ``name_prefix``: the joined parts cut so that they plus a final ``-`` fit ``limit``."""
    return aws_name(parts, limit - 1) + "-"


def unique_name(parts: Sequence[str], limit: int) -> str:
    """Like ``aws_name``, but a name that must be cut ends in 8 hex digits of a hash of the
    whole name, so two long names that share their first ``limit`` characters differ."""
    whole = "-".join(parts)
    if len(whole) <= limit:
        return whole
    digest = hashlib.sha256(whole.encode("utf-8")).hexdigest()[:8]
    return aws_name([aws_name(parts, limit - 9), digest], limit)
