"""Rules the JSON Schema cannot express, checked on a schema-valid document.

Returns (errors, warnings); both are located problems. Recovery objectives against the
pattern's reach are judged by drgen.objectives, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drgen.domain import parse_duration
from drgen.errors import Problem
from drgen.spec.failover_rules import failover_errors, failover_warnings
from drgen.spec.model import DEFAULT_GLACIER_AFTER_DAYS, GLACIER_MINIMUM_STORAGE_DAYS
from drgen.yamldoc.source_map import SourceMap

# The renderer names databases `<name>-<store>` cut to this many characters
# (templates/rds, templates/aurora); S3 buckets use a 30-character bucket_prefix, which
# always fits, so only database names need a length rule.
DB_IDENTIFIER_KEPT = 50
COLD_STORAGE_MINIMUM_DAYS = 90  # AWS Backup keeps cold recovery points at least 90 days
GLACIER_WARNING_DAYS = 30
# Store types whose AWS Backup recovery points can move to cold storage ("Lifecycle to cold
# storage" in the AWS Backup feature-availability table); AWS Backup ignores the setting for
# the others (API_Lifecycle). DynamoDB needs AWS Backup's advanced DynamoDB backup features.
COLD_STORAGE_TYPES = frozenset({"dynamodb"})
_STORE_TYPE_NAMES = {"s3": "S3", "dynamodb": "DynamoDB", "aurora": "Aurora", "rds": "RDS"}
_HOUR, _DAY = 3600, 86400


def check_semantics(
    doc: dict[str, Any], source_map: SourceMap
) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for a document that already passed the schema."""
    errors = [source_map.problem(message, path, fix) for path, message, fix in _errors(doc)]
    warnings = [source_map.problem(message, path, fix) for path, message, fix in _warnings(doc)]
    return errors, warnings


Found = tuple[tuple[str | int, ...], str, str]  # (json path, message, fix)


_DURATIONS = (
    ("objectives", "rpo"),
    ("objectives", "rto"),
    ("failover", "decision_time"),
    ("backup", "every"),
)


def _errors(doc: dict[str, Any]) -> Iterator[Found]:
    yield from _region_errors(doc["regions"])
    yield from _name_errors(doc)
    out_of_range = list(_duration_errors(doc))
    if out_of_range:  # the checks below compute with durations
        yield from out_of_range
        return
    yield from _objective_errors(doc["objectives"])
    compute = doc.get("compute")
    if compute and compute["min"] > compute["max"]:
        yield (
            ("compute", "min"),
            f"compute.min ({compute['min']}) is larger than compute.max ({compute['max']})",
            "make min at most max",
        )
    dns = doc.get("dns")
    if dns and len(f"{dns['record']}.{dns['zone'].rstrip('.')}") > 253:
        yield ("dns", "record"), "the full DNS name is longer than 253 characters", "shorten it"
    yield from _backup_errors(doc.get("backup") or {})
    yield from _lifecycle_errors(doc.get("data") or ())
    yield from _standby_errors(doc)
    yield from _network_errors(doc)
    yield from failover_errors(doc)


def _region_errors(regions: dict[str, str]) -> Iterator[Found]:
    primary, secondary = regions["primary"], regions["secondary"]
    if primary == secondary:
        yield (
            ("regions", "secondary"),
            f"the secondary region is the primary region ({primary})",
            "pick a different region for regions.secondary, e.g. one on the same continent",
        )
    elif _partition(primary) != _partition(secondary):
        yield (
            ("regions", "secondary"),
            f"{primary} ({_partition(primary)}) and {secondary} ({_partition(secondary)}) are in "
            "different AWS partitions, which cannot replicate to each other",
            f"pick a secondary region in the {_partition(primary)} partition",
        )


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _name_errors(doc: dict[str, Any]) -> Iterator[Found]:
    yield from _name_shape(("name",), doc["name"])
    seen: dict[str, int] = {}
    for index, store in enumerate(doc.get("data") or ()):
        path = ("data", index, "name")
        name = store["name"]
        if name in seen:
            yield path, f"store name {name!r} is already used by data[{seen[name]}]", "rename one"
            continue
        seen[name] = index
        yield from _name_shape(path, name)
        identifier = f"{doc['name']}-{name}"
        if store["type"] in ("aurora", "rds") and len(identifier) > DB_IDENTIFIER_KEPT:
            yield (
                path,
                f"the database identifier {identifier!r} is {len(identifier)} characters; drgen "
                f"keeps the first {DB_IDENTIFIER_KEPT} (RDS allows 63, and replicas and final "
                "snapshots add a suffix), so it could collide with another store or end in '-'",
                "shorten the workload name or this store name by "
                + _characters(len(identifier) - DB_IDENTIFIER_KEPT),
            )


def _characters(count: int) -> str:
    return f"{count} character" if count == 1 else f"{count} characters"


def _name_shape(path: tuple[str | int, ...], name: str) -> Iterator[Found]:
    if name.endswith("-") or "--" in name:
        yield (
            path,
            f"{name!r} ends with a hyphen or holds '--', which RDS identifiers and S3 bucket "
            "names derived from it do not allow",
            "use single hyphens between letters or digits",
        )


def _duration_errors(doc: dict[str, Any]) -> Iterator[Found]:
    for section, key in _DURATIONS:
        text = (doc.get(section) or {}).get(key)
        if text is None:
            continue
        try:
            parse_duration(text)
        except ValueError as error:
            yield (section, key), str(error), "use a realistic duration, e.g. 15m, 4h or 1d"


def _objective_errors(objectives: dict[str, str]) -> Iterator[Found]:
    for key in ("rpo", "rto"):
        if parse_duration(objectives[key]) == 0:
            yield (
                ("objectives", key),
                f"{key} is zero, which no architecture reaches",
                ("state the largest acceptable value, e.g. 30s or 15m"),
            )


def _backup_errors(backup: dict[str, Any]) -> Iterator[Found]:
    every = backup.get("every")
    if every is not None:
        seconds = parse_duration(every)
        if seconds < _HOUR or (seconds < _DAY and (seconds % _HOUR or _DAY % seconds)):
            yield (
                ("backup", "every"),
                f"AWS Backup cannot run every {every} on an even schedule",
                "use 1h, 2h, 3h, 4h, 6h, 8h or 12h, or whole days such as 1d or 7d",
            )
        elif seconds >= _DAY and seconds % _DAY:
            yield ("backup", "every"), f"{every} is not a whole number of days", "use e.g. 1d or 2d"
    cold = backup.get("cold_storage_after_days")
    retention = backup.get("retention_days", 35)
    if cold is not None and cold + COLD_STORAGE_MINIMUM_DAYS > retention:
        yield (
            ("backup", "retention_days"),
            f"retention_days ({retention}) must be at least cold_storage_after_days + "
            f"{COLD_STORAGE_MINIMUM_DAYS} ({cold + COLD_STORAGE_MINIMUM_DAYS}): AWS Backup keeps "
            f"recovery points in cold storage for {COLD_STORAGE_MINIMUM_DAYS} days or more",
            f"raise retention_days to {cold + COLD_STORAGE_MINIMUM_DAYS}, or lower or remove "
            "cold_storage_after_days",
        )


def _renders_load_balancer(doc: dict[str, Any]) -> bool:
    return doc["pattern"] != "backup-restore" and "compute" in doc and "dns" in doc


def _network_errors(doc: dict[str, Any]) -> Iterator[Found]:
    network = doc.get("network")
    if not network or not _renders_load_balancer(doc):
        return
    for side in ("primary", "secondary"):
        if "private_subnet_ids" in network[side] and "public_subnet_ids" not in network[side]:
            yield (
                ("network", side),
                "the internet-facing load balancer needs public subnets, and none are given",
                "add public_subnet_ids: the public subnets (a route to an internet gateway) "
                "of at least two Availability Zones",
            )


def _network_warnings(doc: dict[str, Any]) -> Iterator[Found]:
    for side, tiers in (doc.get("network") or {}).items():
        if "subnet_ids" in tiers:
            yield (
                ("network", side, "subnet_ids"),
                "subnet_ids is deprecated: one list puts the servers and databases in the load "
                "balancer's public subnets, or the load balancer in private subnets, where "
                "clients cannot reach it",
                "replace it with public_subnet_ids (the load balancer) and private_subnet_ids "
                "(the servers and databases)",
            )
        both = sorted(
            set(tiers.get("public_subnet_ids", ())) & set(tiers.get("private_subnet_ids", ()))
        )
        if both:
            yield (
                ("network", side, "private_subnet_ids"),
                f"{', '.join(both)} is listed as public and as private: the servers and databases "
                "in it share the load balancer's public subnet",
                "list each subnet in one tier only",
            )


def _lifecycle_errors(stores: Any) -> Iterator[Found]:
    for index, store in enumerate(stores):
        expire = store.get("noncurrent_expire_after_days")
        glacier = store.get("glacier_after_days", DEFAULT_GLACIER_AFTER_DAYS)
        if expire is not None and expire <= glacier:
            yield (
                ("data", index, "noncurrent_expire_after_days"),
                f"noncurrent versions expire after {expire} days but move to Glacier after "
                f"{glacier} (glacier_after_days): S3 refuses a lifecycle rule whose expiration "
                "does not come after its transition",
                f"use more than {glacier} days, e.g. {glacier + GLACIER_MINIMUM_STORAGE_DAYS} "
                "(Glacier's 90-day minimum storage), or lower glacier_after_days",
            )


def _standby_errors(doc: dict[str, Any]) -> Iterator[Found]:
    """An Aurora secondary's size must suit the pattern: none to size without a live secondary,
    and a headless one only where nothing reads from it or fails over to it unaided."""
    pattern = doc["pattern"]
    plan = bool((doc.get("failover") or {}).get("region_switch_plan", False))
    for index, store in enumerate(doc.get("data") or ()):
        count = store.get("standby_instances")
        path = ("data", index, "standby_instances")
        if count is None:
            continue
        if pattern == "backup-restore":
            yield (
                path,
                "backup-restore keeps no Aurora secondary cluster: standby_instances has "
                "nothing to size",
                "remove standby_instances, or choose pilot-light or a warmer pattern",
            )
        elif count == 0 and pattern == "active-active":
            yield (
                path,
                "active-active reads from the Aurora secondary cluster in the recovery region: "
                "a headless one (standby_instances: 0) has no instance to serve them",
                "use standby_instances: 1 or more",
            )
        elif count == 0 and plan:
            yield (
                path,
                "the Region switch plan fails the Aurora global database over without adding "
                "an instance: a headless secondary (standby_instances: 0) has none to promote",
                "use standby_instances: 1 or more, or drop failover.region_switch_plan",
            )


def _warnings(doc: dict[str, Any]) -> Iterator[Found]:
    if doc["pattern"] == "backup-restore" and not doc.get("data"):
        yield (
            ("pattern",),
            "backup-restore without data stores protects nothing",
            "list the stores to copy under data:, or choose a pattern that runs compute",
        )
    if doc["pattern"] == "backup-restore":
        for key in ("dns", "compute"):
            if key in doc:
                yield (
                    (key,),
                    "backup-restore runs nothing in the secondary region, "
                    f"so {key} is not rendered",
                    f"remove {key}, or choose pilot-light or warm-standby",
                )
    yield from _cold_storage_warnings(doc)
    if (doc.get("backup") or {}).get("vault_lock") == "compliance":
        yield (
            ("backup", "vault_lock"),
            "vault_lock compliance cannot be undone 3 days after the first apply: nobody, the "
            "root user included, can then remove the lock, delete a recovery point before it "
            "expires or delete the vaults, and backups with a retention under retention_days fail",
            "keep governance (the default) unless a regulation requires an immutable copy; "
            "test the tree in a throwaway account first",
        )
    yield from _network_warnings(doc)
    yield from failover_warnings(doc)
    for index, store in enumerate(doc.get("data") or ()):
        days = store.get("glacier_after_days")
        if days is not None and days < GLACIER_WARNING_DAYS:
            yield (
                ("data", index, "glacier_after_days"),
                f"objects move to Glacier after {days} days; after a failover they need a restore "
                "(minutes to hours) before they can be read",
                f"use {GLACIER_WARNING_DAYS} days or more unless old objects are rarely read",
            )


def _cold_storage_warnings(doc: dict[str, Any]) -> Iterator[Found]:
    cold = (doc.get("backup") or {}).get("cold_storage_after_days")
    types = sorted({store["type"] for store in doc.get("data") or ()})
    if cold is None or not types or COLD_STORAGE_TYPES.intersection(types):
        return
    shown = " and ".join(_STORE_TYPE_NAMES[kind] for kind in types)
    yield (
        ("backup", "cold_storage_after_days"),
        "cold_storage_after_days does nothing here: of drgen's store types only DynamoDB recovery "
        f"points move to cold storage, and AWS Backup ignores the setting for {shown}",
        "remove cold_storage_after_days, or keep it for a dynamodb store with AWS Backup's "
        "advanced DynamoDB backup features turned on",
    )
