"""Vocabulary shared by render, lint and the RPO/RTO model."""

from __future__ import annotations

import re
from enum import StrEnum


class Pattern(StrEnum):
    BACKUP_RESTORE = "backup-restore"
    PILOT_LIGHT = "pilot-light"
    WARM_STANDBY = "warm-standby"
    ACTIVE_ACTIVE = "active-active"


class WriteMode(StrEnum):
    WRITE_GLOBAL = "write-global"  # one writer region, reads everywhere
    WRITE_ORIGIN = "write-origin"  # each record is written in its home region only
    WRITE_LOCAL = "write-local"  # dual master: the anti-pattern, needs an acknowledgement


class FailoverMode(StrEnum):
    MANUAL = "manual"  # an operator opens the recovery region's gate after promoting the data
    AUTOMATIC = "automatic"  # Route 53 fails over on health checks; every store must be writable


class FailoverGate(StrEnum):
    CLOUDWATCH_ALARM = "cloudwatch-alarm"  # alarms on an operator-published metric
    ARC_ROUTING_CONTROL = "arc-routing-control"  # Route 53 ARC cluster + routing controls


class StoreType(StrEnum):
    S3 = "s3"
    DYNAMODB = "dynamodb"
    AURORA = "aurora"
    RDS = "rds"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}

# Tags that carry DR intent on resources, in rendered code and in users' Terraform.
WRITE_MODE_TAG = "drgen:write-mode"
RPO_TAG = "drgen:rpo"
RTO_TAG = "drgen:rto"

# Commercial, GovCloud and China partitions' region names as of AWS provider v6.
AWS_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
        "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
        "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
        "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
        "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    }
)  # fmt: skip

# Regions an account must enable before anything can be created there (AWS calls them
# opt-in Regions: every commercial Region launched after 20 March 2019). Source: the "Opt-in
# status" column of https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
# and https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html.
OPT_IN_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
        "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1",
        "me-south-1", "mx-central-1",
    }
)  # fmt: skip

_DURATION = re.compile(r"^([0-9]+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION_PATTERN = _DURATION.pattern


MAX_DURATION_DAYS = 36500  # AWS Backup's longest retention; no AWS recovery setting counts more
# DR038: recovery points kept fewer days are reported (`retention_floor_days`, --retention-floor)
DEFAULT_RETENTION_FLOOR_DAYS = 7


def parse_duration(text: str) -> int:
    """``"15m"`` -> 900. Raises ValueError on anything but ``<int><s|m|h|d>`` of at most
    MAX_DURATION_DAYS."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30s, 15m, 4h or 1d")
    digits, unit = match.groups()
    limit = MAX_DURATION_DAYS * _UNIT_SECONDS["d"]
    if len(digits) > len(str(limit)) or int(digits) * _UNIT_SECONDS[unit] > limit:
        raise ValueError(
            f"{text!r} is longer than {MAX_DURATION_DAYS}d (100 years), the longest period"
            " AWS Backup or any other AWS recovery setting counts"
        )
    return int(digits) * _UNIT_SECONDS[unit]


def format_duration(seconds: float) -> str:
    """Human form using the largest unit that divides evenly: 900 -> "15m", 5400 -> "90m"."""
    whole = round(seconds)
    if whole == 0:
        return "0s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{whole}s"


def writable_without_promotion(
    store_type: StoreType, pattern: Pattern, write_mode: WriteMode | None
) -> bool:
    """Whether the recovery region can take writes to the store the moment traffic arrives.

    DynamoDB global-table replicas accept writes in every replica region; S3 replica buckets
    do too only when replication runs both ways (write-origin, write-local), else writes there
    never reach the primary's bucket. Aurora and RDS need a promotion, backup-restore a restore.
    """
    if pattern is Pattern.BACKUP_RESTORE:
        return False
    if store_type is StoreType.DYNAMODB:
        return True
    if store_type is StoreType.S3:
        return write_mode in (WriteMode.WRITE_ORIGIN, WriteMode.WRITE_LOCAL)
    return False
