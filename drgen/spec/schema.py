"""The drspec JSON Schema: the single source of truth for what a spec may contain."""

from __future__ import annotations

from typing import Any

from drgen.yamldoc.reader import DocumentKind
from drgen.yamldoc.schema import bundled_schema
from drgen.yamldoc.schema import schema_text as bundled_text

SCHEMA_FILE = "drspec.schema.json"
SPEC = DocumentKind(noun="spec", described="a DR spec")


def schema_text() -> str:
    return bundled_text(SCHEMA_FILE)


def drspec_schema() -> dict[str, Any]:
    return bundled_schema(SCHEMA_FILE)
