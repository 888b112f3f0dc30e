"""SARIF 2.1.0 report for GitHub code scanning and other SARIF viewers.

Paths are relative to the repository root under ``uriBaseId`` ``%SRCROOT%``; each result
carries the baseline fingerprint (rule, root, address, kind of problem; never the line)
hashed as a partial fingerprint, unique per result, so alerts survive edits that move code
around, and two findings are never merged. The findings of one problem of one rule at one
file:line (a module several roots use) are one result listing every root; the module call
a finding comes from is a related location.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from drgen.domain import Severity
from drgen.findings import FileError
from drgen.report.model import (
    Located,
    ReportInput,
    RuleInfo,
    by_location,
    docs_url,
    unique_fingerprints,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/drgen-dev/drgen"
FINGERPRINT_KEY = "drgenFingerprint/v2"

SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
_TAGS = ["disaster-recovery", "reliability", "security", "terraform"]


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    rule_ids = report.rule_ids()
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    groups = by_location(result.findings)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "drgen",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule_id, report.rule(rule_id)) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    _notification(report, error) for error in result.errors
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(report, located, index[located.first.rule_id], fingerprint)
            for located, fingerprint in zip(
                groups, unique_fingerprints(report, [g.first for g in groups]), strict=True
            )
        ],
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(rule_id: str, info: RuleInfo | None) -> dict[str, Any]:
    url = docs_url(rule_id)
    link = {"helpUri": url} if url else {}  # user policies have no page
    if info is None:  # a finding whose policy is not loaded (should not happen; stay valid)
        return {"id": rule_id, "shortDescription": {"text": rule_id}, **link}
    help_text = f"{info.rationale.strip()}\n\nHow to fix: {info.remediation.strip()}"
    help_markdown = (
        f"**{rule_id}: {info.title}** ({info.severity.value})\n\n"
        f"{info.rationale.strip()}\n\n### How to fix\n\n{info.remediation.strip()}"
        + (f"\n\n[Documentation]({url})" if url else "")
    )
    return {
        "id": rule_id,
        "name": "".join(re.sub("[^0-9A-Za-z]", "", w).capitalize() for w in info.title.split()),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale.strip()},
        "help": {"text": help_text, "markdown": help_markdown},
        **link,
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[info.severity],
            "precision": "high",
            "tags": [*_TAGS, info.severity.value],
        },
    }


def _location(report: ReportInput, file: str, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(report.repo_path(file)), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(line, 1)},
        }
    }


def _result(
    report: ReportInput, located: Located, rule_index: int, fingerprint: str
) -> dict[str, Any]:
    finding = located.first
    severity = located.severity
    location = _location(report, finding.file, finding.line)
    if finding.column:
        location["physicalLocation"]["region"]["startColumn"] = finding.column
    if finding.resource:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.resource, "kind": "resource"}
        ]
    sarif: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[severity],
        "message": {"text": located.message()},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"severity": severity.value, "root": finding.root, "roots": located.roots},
    }
    related = [
        _call_site(report, i, root, site) for i, (root, site) in enumerate(located.call_sites)
    ]
    if related:
        sarif["relatedLocations"] = related
    if finding.suppressed:
        # a drgen:ignore comment is in the source; a config exemption is outside it
        kind = "external" if finding.exempted_by else "inSource"
        suppression: dict[str, Any] = {
            "kind": kind,
            "justification": finding.suppression_reason or "",
        }
        if finding.exempted_by:
            suppression["properties"] = {"exemption": finding.exempted_by}
        sarif["suppressions"] = [suppression]
    return sarif


def _call_site(report: ReportInput, index: int, root: str, site: str) -> dict[str, Any]:
    """The module block (``file:line``) whose argument sets the value at fault."""
    file, _, line = site.rpartition(":")
    location = _location(report, file, int(line))
    location["id"] = index
    location["message"] = {"text": f"module call in root {root} that passes the value at fault"}
    return location


def _notification(report: ReportInput, error: FileError) -> dict[str, Any]:
    location = _location(report, error.file, error.line)
    location["physicalLocation"]["region"]["startColumn"] = max(error.column, 1)
    return {"level": "error", "message": {"text": error.message}, "locations": [location]}
