"""Shared builders for the render tests: specs from dicts, python-hcl2 string decoding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drgen.spec.model import Spec

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.yaml"))

_BASE: dict[str, Any] = {
    "version": 1,
    "name": "shop",
    "pattern": "warm-standby",
    "regions": {"primary": "us-east-1", "secondary": "us-west-2"},
    "objectives": {"rpo": "15m", "rto": "1h"},
    "tags": {"team": "payments"},
    "dns": {"zone": "example.com", "record": "api", "health_check_path": "/healthz"},
    "compute": {
        "ami": "ami-0abc1234def567890",
        "instance_type": "t3.small",
        "port": 8080,
        "min": 2,
        "max": 6,
    },
    "data": [
        {"type": "s3", "name": "assets", "glacier_after_days": 90},
        {"type": "dynamodb", "name": "sessions", "hash_key": "id"},
        {"type": "aurora", "name": "ledger", "engine": "aurora-postgresql"},
        {"type": "rds", "name": "legacy", "engine": "postgres"},
    ],
    "backup": {"every": "4h", "retention_days": 35},
}


def make_spec(**overrides: Any) -> Spec:
    """A valid spec (warm standby, every store type) with top-level keys replaced."""
    raw = {**_BASE, **overrides}
    return Spec.from_dict({k: v for k, v in raw.items() if v is not None}, source=Path("shop.yaml"))


_SIMPLE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def decode_hcl2_string(raw: str) -> str:
    """Undo python-hcl2 8.1.4's string output: it returns the literal as written in the
    file, quotes and escapes included (``'"a\\\\"b $${x}"'``), so strip the quotes and
    decode ``\\\\x``, ``\\\\uNNNN``, ``\\\\UNNNNNNNN``, ``$${`` and ``%%{`` left to right."""
    assert raw.startswith('"') and raw.endswith('"'), raw
    body = raw[1:-1]
    out: list[str] = []
    index = 0
    while index < len(body):
        if body[index] == "\\":
            kind = body[index + 1]
            if kind in _SIMPLE:
                out.append(_SIMPLE[kind])
                index += 2
            else:
                width = 4 if kind == "u" else 8
                assert kind in "uU", f"unknown escape in {raw!r}"
                out.append(chr(int(body[index + 2 : index + 2 + width], 16)))
                index += 2 + width
        elif body.startswith(("$${", "%%{"), index):
            out.append(body[index] + "{")
            index += 3
        else:
            out.append(body[index])
            index += 1
    return "".join(out)
