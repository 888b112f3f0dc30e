"""Baselines: adopt drgen on an existing repository and fail only on new findings.

A baseline records unsuppressed findings by fingerprint (rule, root module, address; never
the line, so edits that move code do not resurrect known findings). The file is JSON,
sorted and versioned so it diffs cleanly in review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from drgen import atomic
from drgen.errors import DrgenError, Problem
from drgen.findings import Finding

BASELINE_VERSION = 1


def baseline_text(findings: Iterable[Finding]) -> str:
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "rule_id": f.rule_id,
            "root": f.root,
            "resource": f.resource,
            "file": f.file,
        }
        for f in findings
        if not f.suppressed
    }
    document = {
        "version": BASELINE_VERSION,
        "findings": [entries[key] for key in sorted(entries)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline; return how many findings it records."""
    text = baseline_text(findings)
    atomic.write_text(path, text)
    return len(json.loads(text)["findings"])


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file knows. Raises DrgenError on a missing or bad file."""

    def problem(message: str, hint: str) -> DrgenError:
        return DrgenError(Problem(message, file=str(path), hint=hint))

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise problem(
            "baseline file not found", "create it with `drgen lint --write-baseline FILE`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise problem(f"cannot read baseline: {error}", "check the path") from None
    except json.JSONDecodeError as error:
        raise DrgenError(
            Problem(
                f"baseline is not valid JSON: {error.msg}",
                file=str(path),
                line=error.lineno,
                column=error.colno,
                hint="regenerate it with `drgen lint --write-baseline FILE`",
            )
        ) from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise problem(
            f"not a drgen baseline (expected version {BASELINE_VERSION})",
            "regenerate it with `drgen lint --write-baseline FILE`",
        )
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise problem(
            "baseline findings must be a list of objects with a fingerprint",
            "regenerate it with `drgen lint --write-baseline FILE`",
        )
    return frozenset(e["fingerprint"] for e in entries)


def apply_baseline(findings: list[Finding], known: frozenset[str]) -> tuple[list[Finding], int]:
    """Drop unsuppressed findings the baseline knows; return the rest and how many were hidden."""
    kept = [f for f in findings if f.suppressed or f.fingerprint not in known]
    return kept, len(findings) - len(kept)
