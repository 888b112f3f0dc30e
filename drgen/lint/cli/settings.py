"""`drgen lint` settings: command-line flags merged over the config file over the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drgen.config import Config
from drgen.domain import DEFAULT_RETENTION_FLOOR_DAYS, MAX_DURATION_DAYS, Severity
from drgen.errors import DrgenError, Problem
from drgen.lint.engine.selection import Gate, Source, expand, highest, lowest, split_patterns
from drgen.report import FORMATS

if TYPE_CHECKING:
    from drgen.lint.cli.lint_command import LintOptions
    from drgen.lint.engine.exemptions import Exemption
    from drgen.spec.model import Objectives


@dataclass(frozen=True)
class LintSettings:
    """Flags merged over the config file over the defaults."""

    formats: list[str]
    output: Path | None
    output_dir: Path | None
    min_severity: Severity
    strict: bool
    objectives: Objectives | None
    # the --spec's failover decision time in seconds (0 when it fails over automatically);
    # None without a spec: DR020's RTO then counts no decision
    decision_seconds: int | None
    policies_dirs: list[Path]
    baseline: Path | None
    scan_base: Path  # findings' file paths are relative to this
    repo_prefix: str  # scan_base relative to the repository root, posix ("" if the same)
    severity_overrides: dict[str, Severity]
    selection: Selection
    exemptions: tuple[Exemption, ...] = ()  # the config's, rules not yet met with the catalog
    retention_floor_days: int = DEFAULT_RETENTION_FLOOR_DAYS  # DR038

    def needs_policies(self) -> bool:
        """Whether some pattern must be checked against the catalog even with nothing to lint."""
        return self.selection.given() or any(e.rules for e in self.exemptions)


@dataclass(frozen=True)
class Patterns:
    """Policy patterns as given (upper-cased), and whether a flag or the config gave them."""

    values: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class Selection:
    """Which policies run and which findings fail, before the patterns meet the catalog."""

    enable: Patterns | None  # None: every policy
    skip: Patterns
    soft_fail: bool
    soft_fail_on: Patterns
    hard_fail_on: Patterns

    def given(self) -> bool:
        lists = (self.skip, self.soft_fail_on, self.hard_fail_on)
        return self.enable is not None or any(p.values for p in lists)

    def resolve(
        self, known: frozenset[str], min_severity: Severity
    ) -> tuple[frozenset[str] | None, frozenset[str], Gate]:
        """Enabled ids (None = all), skipped ids and the gate; unknown names raise DrgenError."""
        problems: list[Problem] = []

        def ids(
            patterns: Patterns, severities: bool = False
        ) -> tuple[frozenset[str], tuple[Severity, ...]]:
            try:
                return expand(patterns.values, known, patterns.source, severities=severities)
            except DrgenError as error:
                problems.extend(error.problems)
                return frozenset(), ()

        enable = ids(self.enable)[0] if self.enable is not None else None
        skip = ids(self.skip)[0]
        soft_ids, soft_levels = ids(self.soft_fail_on, severities=True)
        hard_ids, hard_levels = ids(self.hard_fail_on, severities=True)
        if problems:
            raise DrgenError(problems)
        gate = Gate(
            min_severity=min_severity,
            soft_fail=self.soft_fail,
            soft_ids=soft_ids,
            soft_severity=highest(soft_levels),
            hard_ids=hard_ids,
            hard_severity=lowest(hard_levels),
        )
        return enable, skip, gate


def merge_settings(options: LintOptions, config: Config) -> LintSettings:
    """Flags win over the config file; every inconsistency is one located usage error."""
    formats = options.formats or ["text"]
    problems = [
        Problem(f"unknown format {fmt!r}", hint="use " + " | ".join(FORMATS))
        for fmt in formats
        if fmt not in FORMATS
    ]
    if len(set(formats)) > 1 and options.output_dir is None:
        problems.append(
            Problem(
                "several --format values need --output-dir",
                hint="add --output-dir DIR (files get fixed names such as drgen.sarif)",
            )
        )
    if options.output is not None and options.output_dir is not None:
        problems.append(Problem("--output and --output-dir exclude each other"))
    if options.objectives is not None and options.spec is not None:
        problems.append(Problem("give --objectives or --spec, not both"))
    floor = options.retention_floor
    if floor is not None and not 1 <= floor <= MAX_DURATION_DAYS:
        problems.append(
            Problem(
                f"--retention-floor {floor} is not a number of days from 1 to {MAX_DURATION_DAYS}",
                hint="the fewest days a recovery point must be kept, e.g. --retention-floor 14",
            )
        )
    min_severity = config.min_severity or Severity.LOW
    if options.min_severity is not None:
        try:
            min_severity = Severity(options.min_severity.lower())
        except ValueError:
            problems.append(
                Problem(
                    f"unknown severity {options.min_severity!r}",
                    hint="use low | medium | high | critical",
                )
            )
    if problems:
        raise DrgenError(problems)
    scan_base = _scan_base(options.paths)
    objectives, decision_seconds = _objectives(options, config)
    return LintSettings(
        formats=list(dict.fromkeys(formats)),
        output=options.output,
        output_dir=options.output_dir,
        min_severity=min_severity,
        strict=options.strict or bool(config.strict),
        objectives=objectives,
        decision_seconds=decision_seconds,
        policies_dirs=[*options.policies_dirs, *config.policies_dirs],
        baseline=options.baseline or config.baseline,
        scan_base=scan_base,
        repo_prefix=_repo_prefix(scan_base, config),
        severity_overrides=config.severity_overrides,
        selection=_selection(options, config),
        exemptions=config.exemptions,
        retention_floor_days=_first(
            options.retention_floor, config.retention_floor_days, DEFAULT_RETENTION_FLOOR_DAYS
        ),
    )


def _first(*values: int | None) -> int:
    """The first value given: the flag, then the config file, then the default."""
    return next(v for v in values if v is not None)


def _selection(options: LintOptions, config: Config) -> Selection:
    """Each flag replaces the config key of the same meaning."""
    file = str(config.source) if config.source else None

    def pick(flag: list[str], flag_name: str, configured: tuple[str, ...], key: str) -> Patterns:
        if flag:
            return Patterns(tuple(split_patterns(flag)), Source(flag_name))
        return Patterns(tuple(split_patterns(configured)), Source(key, file))

    enable = None
    if options.checks or config.enable is not None:
        enable = pick(options.checks, "--check", config.enable or (), "policies.enable")
    return Selection(
        enable=enable,
        skip=pick(options.skip_checks, "--skip-check", config.skip, "policies.skip"),
        soft_fail=options.soft_fail or bool(config.soft_fail),
        soft_fail_on=pick(
            options.soft_fail_on, "--soft-fail-on", config.soft_fail_on, "soft_fail_on"
        ),
        hard_fail_on=pick(
            options.hard_fail_on, "--hard-fail-on", config.hard_fail_on, "hard_fail_on"
        ),
    )


def _objectives(options: LintOptions, config: Config) -> tuple[Objectives | None, int | None]:
    """The targets, and the failover decision time when a spec says it."""
    if options.objectives is not None:
        from drgen.objectives import parse_objectives_option

        return parse_objectives_option(options.objectives), None
    spec = options.spec or (None if config.objectives else config.spec)
    if spec is not None:
        from drgen.domain import FailoverMode
        from drgen.spec import load_spec

        loaded = load_spec(spec)
        automatic = loaded.failover.mode is FailoverMode.AUTOMATIC
        return loaded.objectives, 0 if automatic else loaded.failover.decision_seconds
    return config.objectives, None


def _scan_base(paths: list[Path]) -> Path:
    """The folder findings are relative to: the single folder given, else the current one."""
    if len(paths) == 1:
        return paths[0] if paths[0].is_dir() else paths[0].parent
    return Path()


def _repo_prefix(scan_base: Path, config: Config) -> str:
    """Where scan_base sits below the repository root: the git top level (the folder with
    .git), else the config file's folder, else the working directory."""
    base = scan_base.resolve()
    root = next((p for p in (base, *base.parents) if (p / ".git").exists()), None)
    root = root or (config.root.resolve() if config.root else Path.cwd().resolve())
    if not base.is_relative_to(root):
        return ""
    relative = base.relative_to(root).as_posix()
    return "" if relative == "." else relative
