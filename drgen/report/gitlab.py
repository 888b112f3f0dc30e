"""GitLab code quality report (``artifacts:reports:codequality``): a JSON array of issues.

The unsuppressed findings of one problem at one file:line (a module several roots use) become
one issue naming the roots, with GitLab's documented fields: description, check_name,
fingerprint (unique per issue, stable across edits: the first root's baseline fingerprint,
hashed), severity (info | minor | major | critical | blocker) and location.path (from the
repository root, as the merge request widget resolves it) with location.lines.begin.
"""

from __future__ import annotations

import json
from typing import Any

from drgen.domain import Severity
from drgen.report.model import ReportInput, by_location, unique_fingerprints

_SEVERITY = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
}


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    located = by_location([f for f in result.findings if not f.suppressed])
    fingerprints = unique_fingerprints(report, [group.first for group in located])
    issues: list[dict[str, Any]] = [
        {
            "description": f"{group.first.rule_id}: {group.message()}",
            "check_name": group.first.rule_id,
            "fingerprint": fingerprint,
            "severity": _SEVERITY[group.severity],
            "location": {
                "path": report.repo_path(group.first.file),
                "lines": {"begin": max(group.first.line, 1)},
            },
        }
        for group, fingerprint in zip(located, fingerprints, strict=True)
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
