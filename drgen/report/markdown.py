"""Markdown summary for a pull request comment or ``$GITHUB_STEP_SUMMARY``.

Short on purpose: one headline, one table row per policy with findings, and the findings
grouped by policy under collapsed sections (at most ``PER_POLICY`` each). Every string that
comes from the linted files is escaped, so a resource name or message cannot inject
Markdown, HTML, links or @-mentions into the comment.
"""

from __future__ import annotations

import html
import re
from itertools import groupby

from drgen.domain import Severity
from drgen.findings import Finding
from drgen.report.model import ReportInput, docs_url, summary

PER_POLICY = 10
# CommonMark lets any ASCII punctuation be backslash-escaped; these can start inline markup
# (emphasis, links, images, HTML, entities, table cells, code, math, strikethrough) or a
# GitHub reference (@user, #1). Line-start markup cannot occur: every line starts with ours.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~@!$&])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """``text`` as literal inline Markdown on one line (control characters become U+FFFD)."""
    return _SPECIAL.sub(r"\\\1", " ".join(_CONTROL.sub("\ufffd", text).split()))


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    counts = summary(report)
    active = [f for f in result.findings if not f.suppressed]
    failing = {id(f) for f in report.failing()}
    out = [_headline(len(active), len(failing), len(result.errors)), "", _counts(counts), ""]
    by_rule = sorted(active, key=lambda f: (-f.severity.rank, f.rule_id, *f.sort_key()))
    groups = [(rule_id, list(g)) for rule_id, g in groupby(by_rule, key=lambda f: f.rule_id)]
    if groups:
        out += ["| Policy | Severity | Findings | Failing |", "|---|---|---:|---:|"]
        out += [_row(report, rule_id, findings, failing) for rule_id, findings in groups]
        out.append("")
    for rule_id, findings in groups:
        out += _details(report, rule_id, findings, failing)
    if result.errors:
        out += ["**Files drgen could not parse** (the others were linted):", ""]
        out += [
            f"- {escape(report.repo_path(e.file))}:{e.line}:{e.column}: {escape(e.message)}"
            for e in result.errors
        ]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _headline(active: int, failing: int, errors: int) -> str:
    found = f"{failing} failing of {_plural(active, 'finding')}" if active else "no DR findings"
    unparsed = f"; {_plural(errors, 'file')} could not be parsed" if errors else ""
    return f"### drgen: {found}{unparsed}"


def _counts(counts: dict[str, object]) -> str:
    by_severity = counts["by_severity"]
    assert isinstance(by_severity, dict)
    severities = ", ".join(f"{n} {s}" for s, n in by_severity.items() if n) or "none"
    unanalysed = counts["not_analysed"]
    assert isinstance(unanalysed, list)
    missing = (
        f" **{_plural(len(unanalysed), 'module call')} not analysed** (remote or unreadable)."
        if unanalysed
        else ""
    )
    return (
        f"{_plural(int(str(counts['files_scanned'])), 'file')} in "
        f"{_plural(int(str(counts['roots'])), 'root module')}: {severities}; "
        f"{counts['suppressed']} suppressed, {counts['baselined']} baselined "
        f"(threshold {counts['min_severity']}).{missing}"
    )


def _title(report: ReportInput, rule_id: str) -> str:
    rule = report.rule(rule_id)
    url = docs_url(rule_id)
    name = f"[{rule_id}]({url})" if url else escape(rule_id)
    return f"{name} {escape(rule.title)}" if rule else name


def _row(report: ReportInput, rule_id: str, findings: list[Finding], failing: set[int]) -> str:
    severities = sorted({f.severity for f in findings}, key=lambda s: -s.rank)
    fails = sum(1 for f in findings if id(f) in failing)
    shown = ", ".join(s.value for s in severities)
    return f"| {_title(report, rule_id)} | {shown} | {len(findings)} | {fails} |"


def _details(
    report: ReportInput, rule_id: str, findings: list[Finding], failing: set[int]
) -> list[str]:
    rule = report.rule(rule_id)
    summary_text = html.escape(" ".join((f"{rule_id} {rule.title}" if rule else rule_id).split()))
    out = [f"<details><summary>{summary_text} ({len(findings)})</summary>", ""]
    for finding in findings[:PER_POLICY]:
        where = escape(f"{report.repo_path(finding.file)}:{finding.line}")
        mark = "**fails**" if id(finding) in failing else _soft(finding.severity)
        call = ""
        if finding.call_site:
            call = f" (set by the module call at {escape(report.repo_path(finding.call_site))})"
        out.append(f"- {mark} {where}: {escape(finding.message)}{call}")
    if len(findings) > PER_POLICY:
        out.append(f"- … and {len(findings) - PER_POLICY} more (see the full report)")
    out += ["", "</details>", ""]
    return out


def _soft(severity: Severity) -> str:
    return f"_{severity.value}_"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
