"""Which policies run and which findings fail the run, as checkov and tflint users expect.

Policy patterns are ids or fnmatch wildcards (``DR00*``), case-insensitive; a pattern that
names no loaded policy is a usage error with a did-you-mean, never a silent no-op.
``--soft-fail-on`` / ``--hard-fail-on`` entries may also be severities: a soft severity covers
it and everything below it, a hard severity it and everything above it (checkov's reading).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from fnmatch import fnmatchcase

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.findings import Finding


@dataclass(frozen=True)
class Source:
    """Where a list of patterns came from, for error messages: a flag or a config key."""

    name: str  # "--check" or "policies.enable"
    file: str | None = None  # the config file, when it came from one


def split_patterns(values: Iterable[str]) -> list[str]:
    """``["DR001,DR00*", "dr010"]`` -> ``["DR001", "DR00*", "DR010"]`` (flags may repeat)."""
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def expand(
    patterns: Iterable[str], known: Collection[str], source: Source, *, severities: bool = False
) -> tuple[frozenset[str], tuple[Severity, ...]]:
    """The policy ids the patterns select, and (when allowed) the severities they name."""
    ids: set[str] = set()
    levels: list[Severity] = []
    problems: list[Problem] = []
    for index, pattern in enumerate(patterns):
        if severities and pattern.lower() in {s.value for s in Severity}:
            levels.append(Severity(pattern.lower()))
            continue
        matched = {policy_id for policy_id in known if fnmatchcase(policy_id, pattern)}
        if not matched:
            problems.append(_unknown(pattern, index, known, source, severities))
        ids |= matched
    if problems:
        raise DrgenError(problems)
    return frozenset(ids), tuple(levels)


def _unknown(
    pattern: str, index: int, known: Collection[str], source: Source, severities: bool
) -> Problem:
    close = get_close_matches(pattern, sorted(known), n=1, cutoff=0.6)
    also = " or a severity (low | medium | high | critical)" if severities else ""
    hint = f"did you mean {close[0]}?" if close else "see `drgen policies list`"
    return Problem(
        f"{source.name}: {pattern!r} names no policy{also}",
        file=source.file or "command line",
        json_path=f"$.{source.name}[{index}]" if source.file else None,
        hint=f"{hint} (ids and wildcards like DR00* are accepted)",
    )


def lowest(levels: Iterable[Severity]) -> Severity | None:
    return min(levels, key=lambda s: s.rank, default=None)


def highest(levels: Iterable[Severity]) -> Severity | None:
    return max(levels, key=lambda s: s.rank, default=None)


@dataclass(frozen=True)
class Gate:
    """Which reported findings fail the run (exit 1).

    A finding at or above ``min_severity`` fails unless it is soft: ``soft_fail`` makes every
    finding soft, ``soft_ids``/``soft_severity`` some of them, and a non-empty hard list makes
    everything it does not name soft. A finding the hard list names always fails, whatever its
    severity and ``soft_fail`` say.
    """

    min_severity: Severity = Severity.LOW
    soft_fail: bool = False
    soft_ids: frozenset[str] = frozenset()
    soft_severity: Severity | None = None  # this and below are soft
    hard_ids: frozenset[str] = frozenset()
    hard_severity: Severity | None = None  # this and above are hard

    def fails(self, finding: Finding) -> bool:
        if finding.suppressed:
            return False
        if self._hard(finding):
            return True
        if not finding.severity.at_least(self.min_severity):
            return False
        has_hard_list = bool(self.hard_ids) or self.hard_severity is not None
        return not (self.soft_fail or has_hard_list or self._soft(finding))

    def _hard(self, finding: Finding) -> bool:
        return finding.rule_id in self.hard_ids or (
            self.hard_severity is not None and finding.severity.at_least(self.hard_severity)
        )

    def _soft(self, finding: Finding) -> bool:
        return finding.rule_id in self.soft_ids or (
            self.soft_severity is not None and self.soft_severity.at_least(finding.severity)
        )
