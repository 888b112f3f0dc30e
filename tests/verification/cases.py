"""The specs the suite renders: the six samples plus variations of each.

Variations are a fixed, reviewed list (deterministic, cheap enough for CI): a single store
of each type, one store of every type, two stores of every type, the network block toggled,
Resilience Hub toggled, the servers on port 80, tag values that stress HCL escaping, a
dual-master acknowledgement that stresses HCL comments, the ARC opt-ins (routing-control gate +
Region switch plan), and automatic DNS failover where no store waits for a promotion.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from drgen.domain import (
    Pattern,
    StoreType,
    WriteMode,
    parse_duration,
    writable_without_promotion,
)
from drgen.resources import data_dir

Raw = dict[str, Any]

NETWORK = {
    "primary": {
        "vpc_id": "vpc-0123abcd",
        "public_subnet_ids": ["subnet-0123abcd", "subnet-4567ef01"],
        "private_subnet_ids": ["subnet-89abcdef", "subnet-0a0b0c0d"],
    },
    "secondary": {
        "vpc_id": "vpc-0fedcba98765432a1",
        "public_subnet_ids": ["subnet-0fedcba98765432a1", "subnet-0fedcba98765432b2"],
        "private_subnet_ids": ["subnet-0fedcba98765432c3", "subnet-0fedcba98765432d4"],
    },
}
EVERY_STORE_TYPE: list[Raw] = [
    {"type": "s3", "name": "files", "glacier_after_days": 30},
    {"type": "dynamodb", "name": "items", "hash_key": "pk"},
    {"type": "aurora", "name": "ledger", "engine": "aurora-postgresql"},
    {"type": "rds", "name": "reports", "engine": "mysql"},
]
# Two of each type, engines differing: names, ports and file names must not collide.
TWO_OF_EACH_TYPE: list[Raw] = [
    *EVERY_STORE_TYPE,
    {"type": "s3", "name": "exports", "glacier_after_days": 90},
    {"type": "dynamodb", "name": "sessions", "hash_key": "id"},
    {"type": "aurora", "name": "catalog", "engine": "aurora-mysql"},
    {"type": "rds", "name": "billing", "engine": "postgres"},
]
ODD_TAGS = {
    "quote": 'say "hi"',
    "backslash": "C:\\temp\\",
    "interpolation": "${not.a.reference} and %{ if true }x%{ endif }",
    "unclosed": "${ no closing brace, nor %{ here",
    "unicode": "équipe données ✓",
    "spaces and/slash:colon": " padded ",
    "empty": "",
    "Number": "0042",
}


@dataclass(frozen=True)
class Case:
    id: str  # "<sample stem>" or "<sample stem>+<variation>"; also the tree's folder name
    raw: Raw


def _reachable_objectives(raw: Raw) -> dict[str, str]:
    """Targets every store type meets (an RDS read replica cannot fail over in minutes), so a
    variation that changes the stores stays a spec `drgen validate` accepts."""
    return {
        key: max(raw["objectives"][key], floor, key=parse_duration)
        for key, floor in (("rpo", "15m"), ("rto", "1h"))
    }


def _stores(stores: list[Raw]) -> Callable[[Raw], Raw | None]:
    def vary(raw: Raw) -> Raw | None:
        if raw.get("data") == stores:
            return None
        varied = {**raw, "objectives": _reachable_objectives(raw), "data": copy.deepcopy(stores)}
        return _manual_if_a_store_waits(varied)

    return vary


def _manual_if_a_store_waits(raw: Raw) -> Raw:
    """failover.mode automatic stays valid only while every store is writable in the recovery
    region without a promotion (drgen.domain.writable_without_promotion)."""
    failover = raw.get("failover") or {}
    pattern, write_mode = Pattern(raw["pattern"]), raw.get("write_mode")
    waits = any(
        not writable_without_promotion(
            StoreType(store["type"]), pattern, WriteMode(write_mode) if write_mode else None
        )
        for store in raw.get("data") or ()
    )
    if failover.get("mode") == "automatic" and waits:
        return {**raw, "failover": {**failover, "mode": "manual"}}
    return raw


def _network_toggled(raw: Raw) -> Raw | None:
    """Every pattern with and without ``network:`` (backup-restore stages its restore's DB
    subnet group and security group in the recovery VPC)."""
    if "network" in raw:
        return {k: v for k, v in raw.items() if k != "network"}
    return {**raw, "network": copy.deepcopy(NETWORK)}


def _resilience_hub_toggled(raw: Raw) -> Raw | None:
    return {**raw, "resilience_hub": not raw.get("resilience_hub", False)}


def _port_80(raw: Raw) -> Raw | None:
    """Servers on port 80: checkov's port-80 check (CKV_AWS_260) reads the load balancer's
    rule to them."""
    if "compute" not in raw or raw["compute"]["port"] == 80:
        return None
    return {**raw, "compute": {**raw["compute"], "port": 80}}


def _odd_tags(raw: Raw) -> Raw | None:
    return {**raw, "tags": {**(raw.get("tags") or {}), **ODD_TAGS}}


ODD_ACKNOWLEDGEMENT = (
    'Line one */ with a comment end,\n# a hash line, a ] bracket, "quotes", ${x} and %{ y },\n'
    "  trailing spaces   \r\nand a CRLF; café ✓"
)


def _odd_acknowledgement(raw: Raw) -> Raw | None:
    if raw.get("write_mode") != "write-local":
        return None  # only dual master takes an acknowledgement
    return {**raw, "dual_master_acknowledgement": ODD_ACKNOWLEDGEMENT}


def _arc(raw: Raw) -> Raw | None:
    """Both ARC opt-ins: the routing-control gate and the executable Region switch plan."""
    if raw["pattern"] in ("backup-restore", "active-active"):
        return None  # no failover records to gate by plan (the plan is active/passive)
    failover = {**(raw.get("failover") or {}), "gate": "arc-routing-control"}
    return {**raw, "failover": {**failover, "region_switch_plan": True}}


def _automatic(raw: Raw) -> Raw | None:
    """Automatic DNS failover where it is allowed: the failover patterns with only stores that
    need no promotion (DynamoDB global tables)."""
    if raw["pattern"] not in ("pilot-light", "warm-standby") or not raw.get("compute"):
        return None
    table = {"type": "dynamodb", "name": "sessions", "hash_key": "id"}
    varied = {**raw, "objectives": _reachable_objectives(raw), "data": [table]}
    return {**varied, "failover": {**(raw.get("failover") or {}), "mode": "automatic"}}


VARIATIONS: dict[str, Callable[[Raw], Raw | None]] = {
    **{f"only-{store['type']}": _stores([store]) for store in EVERY_STORE_TYPE},
    "every-store-type": _stores(EVERY_STORE_TYPE),
    "two-of-each-type": _stores(TWO_OF_EACH_TYPE),
    "network": _network_toggled,
    "resilience-hub": _resilience_hub_toggled,
    "port-80": _port_80,
    "odd-tags": _odd_tags,
    "odd-acknowledgement": _odd_acknowledgement,
    "arc": _arc,
    "automatic": _automatic,
}


def sample_files() -> list[Path]:
    return sorted(data_dir("samples").glob("*.yaml"))


def all_cases() -> list[Case]:
    cases = []
    for sample in sample_files():
        raw = yaml.safe_load(sample.read_text(encoding="utf-8"))
        cases.append(Case(sample.stem, raw))
        for name, vary in VARIATIONS.items():
            varied = vary(copy.deepcopy(raw))
            if varied is not None:
                cases.append(Case(f"{sample.stem}+{name}", varied))
    return cases


def write_spec(case: Case, directory: Path) -> Path:
    """The case as a spec file, so it goes through the real loader and its validation."""
    path = directory / f"{case.id}.yaml"
    path.write_text(yaml.safe_dump(case.raw, sort_keys=False, allow_unicode=True), "utf-8")
    return path
