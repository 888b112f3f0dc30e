"""GitHub Actions workflow commands: one annotation per location and file error.

Unsuppressed findings of one rule at one file:line (a module several roots use) make one
annotation naming the roots; a finding a module call causes names that call.

Escaping follows the runner's rules: in the message ``%``, CR and LF are percent-encoded;
in property values ``:`` and ``,`` are encoded as well.
"""

from __future__ import annotations

from drgen.domain import Severity
from drgen.report.model import Located, ReportInput, by_location

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    lines = [
        command(
            "error",
            error.message,
            file=report.repo_path(error.file),
            line=str(error.line),
            col=str(error.column),
            title="drgen parse error",
        )
        for error in result.errors
    ]
    for located in by_location([f for f in result.findings if not f.suppressed]):
        finding = located.first
        lines.append(
            command(
                _LEVEL[located.severity],
                located.message() + _called_from(report, located),
                file=report.repo_path(finding.file),
                line=str(finding.line),
                title=finding.rule_id,
            )
        )
    return "".join(line + "\n" for line in lines)


def _called_from(report: ReportInput, located: Located) -> str:
    sites = located.call_sites
    if not sites:
        return ""
    several = len(located.roots) > 1
    shown = ", ".join(
        report.repo_path(site) + (f" (root {root})" if several else "") for root, site in sites
    )
    return f" (set by the module call at {shown})"
