"""GitHub Actions workflow commands: one annotation per unsuppressed finding and file error.

Escaping follows the runner's rules: in the message ``%``, CR and LF are percent-encoded;
in property values ``:`` and ``,`` are encoded as well.
"""

from __future__ import annotations

from drgen.domain import Severity
from drgen.report.model import ReportInput

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
    for finding in result.findings:
        if finding.suppressed:
            continue
        lines.append(
            command(
                _LEVEL[finding.severity],
                finding.message,
                file=report.repo_path(finding.file),
                line=str(finding.line),
                title=finding.rule_id,
            )
        )
    return "".join(line + "\n" for line in lines)
