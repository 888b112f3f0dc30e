"""``drgen assess SPEC [--format text|json]``: informs, so it exits 0 whatever the verdict."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from drgen.errors import DrgenError, ExitCode, Problem
from drgen.objectives import assess_spec, assessment_text, assessment_to_json
from drgen.spec import load_spec

FORMATS = ("text", "json")


def run_assess(spec_path: Path, fmt: str) -> int:
    if fmt not in FORMATS:
        raise DrgenError(
            Problem(
                f"unknown format {fmt!r}", file="--format", hint=f"use one of: {', '.join(FORMATS)}"
            )
        )
    assessment = assess_spec(load_spec(spec_path))
    if fmt == "json":
        sys.stdout.write(json.dumps(assessment_to_json(assessment), indent=2) + "\n")
    else:
        sys.stdout.write(assessment_text(assessment))
    return ExitCode.OK
