"""JSON report: the versioned public contract of ``drgen lint --format json`` (version 1)."""

from __future__ import annotations

import json

from drgen.report.model import ReportInput, summary

SCHEMA_VERSION = 1


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    document = {
        "version": SCHEMA_VERSION,
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity.value,
                "resource": f.resource,
                "file": f.file,
                "line": f.line,
                "message": f.message,
                "suppressed": f.suppressed,
            }
            for f in result.findings
        ],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in result.errors],
        "summary": summary(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
