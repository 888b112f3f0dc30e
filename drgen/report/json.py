"""JSON report: the versioned public contract of ``drgen lint --format json`` (version 1).

Fields are only ever added within a version. ``file`` and ``root`` are relative to the
linted folder, ``repo_file`` to the repository root; ``column`` and ``call_site`` are null
when unknown; ``help_uri`` is null for user policies; ``fingerprint`` is the baseline key;
``suppression_reason`` is the waiver's reason and ``exempted_by`` the config exemption
(file:line) that waives the finding, both null when none does.
"""

from __future__ import annotations

import json

from drgen.fingerprints import fingerprint
from drgen.report.model import ReportInput, docs_url, summary

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
                "root": f.root,
                "repo_file": report.repo_path(f.file),
                "column": f.column or None,
                "kind": f.kind,
                "fingerprint": fingerprint(f, report.repo_prefix),
                "help_uri": docs_url(f.rule_id),
                "call_site": f.call_site or None,
                "suppression_reason": f.suppression_reason,
                "exempted_by": f.exempted_by or None,
            }
            for f in result.findings
        ],
        "errors": [
            {"file": e.file, "line": e.line, "column": e.column, "message": e.message}
            for e in result.errors
        ],
        "summary": summary(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
