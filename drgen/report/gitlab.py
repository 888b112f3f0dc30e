"""GitLab code quality report (``artifacts:reports:codequality``): a JSON array of issues.

Each unsuppressed finding becomes one issue with GitLab's documented fields: description,
check_name, fingerprint (unique per finding, stable across edits: the baseline fingerprint,
hashed), severity (info | minor | major | critical | blocker) and location.path (from the
repository root, as the merge request widget resolves it) with location.lines.begin.
"""

from __future__ import annotations

import json
from typing import Any

from drgen.domain import Severity
from drgen.report.model import ReportInput, unique_fingerprints

_SEVERITY = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
}


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    active = [f for f in result.findings if not f.suppressed]
    fingerprints = unique_fingerprints(report, active)
    issues: list[dict[str, Any]] = [
        {
            "description": f"{f.rule_id}: {f.message}",
            "check_name": f.rule_id,
            "fingerprint": fingerprint,
            "severity": _SEVERITY[f.severity],
            "location": {"path": report.repo_path(f.file), "lines": {"begin": max(f.line, 1)}},
        }
        for f, fingerprint in zip(active, fingerprints, strict=True)
    ]
    issues.extend(
        {
            "description": f"drgen could not parse this file: {e.message}",
            "check_name": "drgen-parse-error",
            "fingerprint": _digest(f"parse|{report.repo_path(e.file)}"),
            "severity": "blocker",
            "location": {"path": report.repo_path(e.file), "lines": {"begin": max(e.line, 1)}},
        }
        for e in result.errors
    )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()
