"""Human report for terminals and CI logs: findings grouped by file, each with its source line."""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

from drgen.bounded_read import MAX_TERRAFORM_FILE_BYTES, read_regular
from drgen.domain import Severity
from drgen.findings import Finding, remote_module_count
from drgen.report.model import ReportInput

_COLOURS = {
    Severity.CRITICAL: "\x1b[1;31m",
    Severity.HIGH: "\x1b[31m",
    Severity.MEDIUM: "\x1b[33m",
    Severity.LOW: "\x1b[36m",
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
QUOTE_WIDTH = 160  # characters of a source line a finding quotes
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled else text


def render(report: ReportInput) -> str:
    style = _Style(report.color)
    result = report.result.sorted()
    base = report.scan_base if report.scan_base.is_dir() else report.scan_base.parent
    out: list[str] = []
    for file, group in groupby(result.findings, key=lambda f: f.file):
        lines = _source_lines(base / file)
        out.append(style(_BOLD, report.display_path(file)))
        for finding in group:
            call = report.display_path(finding.call_site) if finding.call_site else ""
            out.extend(_finding_lines(finding, lines, style, call))
        out.append("")
    if result.errors:
        out.append(style(_BOLD, "Files drgen could not parse (the others were linted):"))
        out.extend(
            f"  {report.display_path(e.file)}:{e.line}:{e.column}: {e.message}"
            for e in result.errors
        )
        out.append("")
    out.append(_summary_line(report))
    return "\n".join(out) + "\n"


def _finding_lines(finding: Finding, source: list[str], style: _Style, call: str) -> list[str]:
    """The finding, its source line, its waiver; ``call``: the module call that passes the
    value at fault, as the user opens it ("" when none)."""
    severity = finding.severity
    label = "suppressed" if finding.suppressed else severity.value
    colour = _DIM if finding.suppressed else _COLOURS[severity]
    head = f"  {finding.line:>4}  {style(colour, f'{label:<10}')} {finding.rule_id}  "
    message = finding.message.replace("\n", "\n" + " " * 25)
    if call:
        message += style(_DIM, f" [set by the module call at {call}]")
    if finding.root != ".":  # one module file can be instantiated by several roots
        message += style(_DIM, f" [root {finding.root}]")
    lines = [head + message]
    if 0 < finding.line <= len(source):
        lines.append(style(_DIM, f"        | {quoted_source(source[finding.line - 1])}"))
    if finding.suppressed:
        reason = quoted_source(finding.suppression_reason or "")
        by = f" (exemption {finding.exempted_by})" if finding.exempted_by else ""
        lines.append(style(_DIM, f"        waived: {reason}{by}"))
    return lines


def quoted_source(line: str) -> str:
    """A source line as the report quotes it: stripped, control characters shown as ``\\xNN``
    (a file cannot drive the terminal), cut to a readable width (one-line .tf.json files)."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", line.strip())
    return text if len(text) <= QUOTE_WIDTH else text[: QUOTE_WIDTH - 1] + "…"


def _source_lines(path: Path) -> list[str]:
    """Lines as Terraform counts them: only ``\\n`` ends one (not U+2028, form feeds...)."""
    try:
        data = read_regular(path, MAX_TERRAFORM_FILE_BYTES)
    except OSError:  # gone, replaced by something else, or grown past the lint limit
        return []
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _summary_line(report: ReportInput) -> str:
    result = report.result
    active = [f for f in result.findings if not f.suppressed]
    by_severity = [
        f"{n} {s.value}"
        for s in sorted(Severity, key=lambda s: -s.rank)
        if (n := sum(1 for f in active if f.severity is s))
    ]
    parts = [f"{len(active)} finding(s)" + (f" ({', '.join(by_severity)})" if by_severity else "")]
    suppressed = len(result.findings) - len(active)
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    if report.baselined:
        parts.append(f"{report.baselined} known from the baseline")
    if result.errors:
        parts.append(f"{len(result.errors)} file error(s)")
    scanned = f"{result.files_scanned} file(s) in {len(result.roots)} root module(s)"
    remote = remote_module_count(result.not_analysed)
    if remote:
        scanned += (
            f"; {remote} remote module call(s) not analysed"
            " (run `terraform init` so drgen can follow them)"
        )
    if len(result.not_analysed) > remote:
        scanned += (
            f"; {len(result.not_analysed) - remote} local module call(s) not analysed"
            " (recursive, or over the module instance budget)"
        )
    return f"{', '.join(parts)}; {scanned}."
