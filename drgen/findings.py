"""What lint produces: findings and per-file errors. Report formats read only these."""

from __future__ import annotations

from dataclasses import dataclass, field

from drgen.domain import Severity


@dataclass(frozen=True)
class Finding:
    rule_id: str  # "DR010"
    severity: Severity  # after any configured override
    message: str  # what is wrong and the fix, in one or two sentences
    file: str  # posix path relative to the scanned base
    line: int  # 1-based line of the block (or attribute) at fault
    resource: str  # Terraform address, e.g. "module.data.aws_dynamodb_table.sessions"; "" if none
    root: str = "."  # root module directory, relative posix path
    suppressed: bool = False
    suppression_reason: str | None = None
    kind: str = ""  # which problem of the rule (a stable slug, never a line); see fingerprints
    column: int = 0  # 1-based column when known, 0 when the check gives only a line
    call_site: str = ""  # "file:line" of the module block in the root when a caller causes it
    exempted_by: str = ""  # "file:line" of the config exemption that waives it ("" if none)

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line, self.rule_id, self.resource)


# Why a module call was not analysed, when it is not a remote module ``terraform init`` would
# fetch: the suffix of its ``not_analysed`` entry, "root:module.a (<reason>)".
RECURSIVE_MODULE_CALL = "recursive module call"
MODULE_BUDGET_EXCEEDED = "module instance budget exceeded"


def remote_module_count(not_analysed: list[str]) -> int:
    """How many ``not_analysed`` entries are remote modules (not recursion, not a budget)."""
    local_reasons = (f"({RECURSIVE_MODULE_CALL})", f"({MODULE_BUDGET_EXCEEDED})")
    return sum(1 for entry in not_analysed if not entry.endswith(local_reasons))


@dataclass(frozen=True)
class FileError:
    """A file lint could not read or parse; the other files are still linted."""

    file: str
    line: int
    column: int
    message: str


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_scanned: int = 0
    roots: list[str] = field(default_factory=list)
    not_analysed: list[str] = field(default_factory=list)  # remote modules not followed

    def sorted(self) -> LintResult:
        return LintResult(
            findings=sorted(self.findings, key=Finding.sort_key),
            errors=sorted(self.errors, key=lambda e: (e.file, e.line, e.column, e.message)),
            files_scanned=self.files_scanned,
            roots=sorted(self.roots),
            not_analysed=sorted(self.not_analysed),
        )
