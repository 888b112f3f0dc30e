"""What every report format reads: the lint result, the rules' metadata, and where files live."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from drgen import __version__
from drgen.domain import Severity
from drgen.findings import Finding, LintResult
from drgen.lint.engine.selection import Gate

# A built-in rule's doc page in the repository (generated from the policy YAML, the same page
# `drgen policies show ID --format markdown` prints), the SARIF helpUri.
POLICY_DOCS_URL = "https://github.com/drgen-dev/drgen/blob/main/docs/policies/{rule_id}.md"


class RuleInfo(Protocol):
    """The policy metadata a report shows (satisfied by drgen.lint.engine.catalog.Policy)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def rationale(self) -> str: ...
    @property
    def remediation(self) -> str: ...


def docs_url(rule_id: str) -> str | None:
    """The rule's doc page; None for a user policy, which has no page in drgen's docs."""
    from drgen.lint.engine.catalog import builtin_policy_ids

    return POLICY_DOCS_URL.format(rule_id=rule_id) if rule_id in builtin_policy_ids() else None


@dataclass(frozen=True)
class ReportInput:
    """One lint run as the formats see it.

    ``result`` file paths are relative to ``scan_base``; ``repo_prefix`` is ``scan_base``
    relative to the repository root (posix, "" when they are the same), which SARIF and
    GitHub annotations need because code scanning resolves paths from the repository root.
    """

    result: LintResult
    rules: Sequence[RuleInfo] = ()
    scan_base: Path = Path()
    repo_prefix: str = ""
    min_severity: Severity = Severity.LOW
    color: bool = False
    display_prefix: str = ""  # scan_base relative to the current directory, for the text report
    baselined: int = 0  # findings hidden because the baseline already knows them
    tool_version: str = __version__
    gate: Gate | None = None  # which findings fail; None: those at or above min_severity

    def repo_path(self, file: str) -> str:
        """``file`` (relative to the scanned path) as a posix path from the repository root."""
        if not self.repo_prefix or self.repo_prefix == ".":
            return file
        return f"{self.repo_prefix.rstrip('/')}/{file}"

    def display_path(self, file: str) -> str:
        """``file`` as the user can open it from the current directory (text report)."""
        return f"{self.display_prefix.rstrip('/')}/{file}" if self.display_prefix else file

    def rule(self, rule_id: str) -> RuleInfo | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None

    def rule_ids(self) -> list[str]:
        """Every loaded rule's id plus any id a finding uses without a loaded policy, sorted."""
        return sorted({r.id for r in self.rules} | {f.rule_id for f in self.result.findings})

    def failing(self) -> list[Finding]:
        """The unsuppressed findings that fail the run (threshold, soft/hard-fail lists)."""
        gate = self.gate or Gate(min_severity=self.min_severity)
        return [f for f in self.result.findings if gate.fails(f)]


def summary(report: ReportInput) -> dict[str, object]:
    """Counts shared by the text and JSON formats (key order is part of the JSON contract)."""
    result = report.result
    active = [f for f in result.findings if not f.suppressed]
    return {
        "files_scanned": result.files_scanned,
        "roots": len(result.roots),
        "findings": len(active),
        "failing": len(report.failing()),
        "suppressed": len(result.findings) - len(active),
        "baselined": report.baselined,
        "errors": len(result.errors),
        "min_severity": report.min_severity.value,
        "by_severity": {
            s.value: sum(1 for f in active if f.severity is s)
            for s in sorted(Severity, key=lambda s: -s.rank)
        },
        "not_analysed": list(result.not_analysed),
    }


def unique_fingerprints(report: ReportInput, findings: Sequence[Finding]) -> list[str]:
    """One sha256 per finding from its baseline fingerprint; a finding whose fingerprint another
    one already has (same rule, root, address and kind) gets an ordinal, so code scanning and
    GitLab never merge two findings."""
    import hashlib

    from drgen.fingerprints import fingerprint

    seen: dict[str, int] = {}
    digests = []
    for finding in findings:
        key = fingerprint(finding, report.repo_prefix)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}|#{seen[key]}"
        digests.append(hashlib.sha256(key.encode()).hexdigest())
    return digests


@dataclass(frozen=True)
class Located:
    """The findings of one problem of one rule at one file:line: a module that several roots
    use reports its line once per root, and GitHub and SARIF show it once, listing the roots."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def roots(self) -> list[str]:
        return sorted({f.root for f in self.findings})

    @property
    def severity(self) -> Severity:
        """The most severe of the roots' findings (a configured override may differ by root)."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    @property
    def call_sites(self) -> list[tuple[str, str]]:
        """(root, file:line of the module call) for every root whose call passes the value."""
        return sorted({(f.root, f.call_site) for f in self.findings if f.call_site})

    def message(self) -> str:
        """The message (each root's when they differ), with the roots when several."""
        if len({f.message for f in self.findings}) == 1:
            text = self.first.message
        else:
            text = " | ".join(f"root {f.root}: {f.message}" for f in self.findings)
        roots = self.roots
        return text + (f" [roots: {', '.join(roots)}]" if len(roots) > 1 else "")


def by_location(findings: Sequence[Finding]) -> list[Located]:
    """``findings`` grouped by file, line, rule, kind and suppression, in their order; each
    group's findings by root (whatever order they came in)."""
    groups: dict[tuple[str, int, str, str, bool], list[Finding]] = {}
    for finding in findings:
        key = (finding.file, finding.line, finding.rule_id, finding.kind, finding.suppressed)
        groups.setdefault(key, []).append(finding)
    return [
        Located(tuple(sorted(group, key=lambda f: (f.root, f.message, f.resource))))
        for group in groups.values()
    ]
