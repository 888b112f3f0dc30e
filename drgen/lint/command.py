"""`drgen lint`: merge config and flags, build the model, run the policies, write the reports.

Exit codes: 0 when no unsuppressed finding is at or above the threshold, 1 when one is,
2 for usage or config errors and whenever a file could not be parsed (the other files
are still linted and reported).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from drgen import __version__
from drgen.config import Config, find_config, is_excluded, load_config
from drgen.domain import Severity
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.findings import LintResult
from drgen.report import FORMATS, ReportInput

if TYPE_CHECKING:
    from drgen.findings import Finding
    from drgen.lint.model import Project
    from drgen.lint.policies import Policy
    from drgen.spec.model import Objectives


@dataclass
class LintOptions:
    """The flags `drgen lint` was given; None/empty means "not given" (config or default)."""

    paths: list[Path] = field(default_factory=lambda: [Path()])
    formats: list[str] = field(default_factory=list)
    output: Path | None = None
    output_dir: Path | None = None
    min_severity: str | None = None
    policies_dirs: list[Path] = field(default_factory=list)
    strict: bool = False
    objectives: str | None = None
    spec: Path | None = None
    config: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    list_suppressions: bool = False
    quiet: bool = False
    today: date | None = None  # injectable for tests; None = today


@dataclass(frozen=True)
class LintSettings:
    """Flags merged over the config file over the defaults."""

    formats: list[str]
    output: Path | None
    output_dir: Path | None
    min_severity: Severity
    strict: bool
    objectives: Objectives | None
    policies_dirs: list[Path]
    baseline: Path | None
    scan_base: Path  # findings' file paths are relative to this
    repo_prefix: str  # scan_base relative to the repository root, posix ("" if the same)
    enable: frozenset[str] | None
    skip: frozenset[str]
    severity_overrides: dict[str, Severity]

    def runs(self, policy_id: str) -> bool:
        """Whether the config's enable/skip lists let this policy run."""
        return (self.enable is None or policy_id in self.enable) and policy_id not in self.skip


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
    return LintSettings(
        formats=list(dict.fromkeys(formats)),
        output=options.output,
        output_dir=options.output_dir,
        min_severity=min_severity,
        strict=options.strict or bool(config.strict),
        objectives=_objectives(options, config),
        policies_dirs=[*options.policies_dirs, *config.policies_dirs],
        baseline=options.baseline or config.baseline,
        scan_base=scan_base,
        repo_prefix=_repo_prefix(scan_base, config),
        enable=config.enable,
        skip=config.skip,
        severity_overrides=config.severity_overrides,
    )


def _objectives(options: LintOptions, config: Config) -> Objectives | None:
    if options.objectives is not None:
        from drgen.objectives import parse_objectives_option

        return parse_objectives_option(options.objectives)
    spec = options.spec or (None if config.objectives else config.spec)
    if spec is not None:
        from drgen.spec import load_spec

        return load_spec(spec).objectives
    return config.objectives


def _scan_base(paths: list[Path]) -> Path:
    """The folder findings are relative to: the single folder given, else the current one."""
    if len(paths) == 1:
        return paths[0] if paths[0].is_dir() else paths[0].parent
    return Path()


def _repo_prefix(scan_base: Path, config: Config) -> str:
    """Where scan_base sits below the repository root (the folder with .git, else the config's)."""
    base = scan_base.resolve()
    root = next((p for p in (base, *base.parents) if (p / ".git").exists()), None)
    root = root or (config.root.resolve() if config.root else base)
    if not base.is_relative_to(root):
        return ""
    relative = base.relative_to(root).as_posix()
    return "" if relative == "." else relative


def run_lint(options: LintOptions) -> int:
    config = _config(options)
    settings = merge_settings(options, config)
    known = _known_findings(settings)  # a bad baseline fails before a long scan
    from drgen.lint.progress import progress

    with progress(quiet=options.quiet) as step:
        step("Parsing Terraform…")
        from drgen.lint.project import build_project

        project, errors = build_project(options.paths)
        today = options.today or date.today()
        if options.list_suppressions:
            from drgen.report import suppressions

            sys.stdout.write(suppressions.render(suppressions.collect(project), today))
            return ExitCode.OK
        step(f"Checking {len(project.roots)} root module(s)…")
        findings, policies = _check(project, settings, today)
    result = LintResult(
        findings=findings,
        errors=list(errors),
        files_scanned=project.files_scanned,
        roots=[root.directory for root in project.roots],
        not_analysed=list(project.not_analysed),
    )
    result = _exclude(result, settings, config).sorted()
    if options.write_baseline is not None:
        from drgen.lint.baseline import write_baseline

        count = write_baseline(options.write_baseline, result.findings)
        print(f"drgen: recorded {count} finding(s) in {options.write_baseline}", file=sys.stderr)
        return ExitCode.OK
    baselined = 0
    if known is not None:
        from drgen.lint.baseline import apply_baseline

        result.findings, baselined = apply_baseline(result.findings, known)
    report = ReportInput(
        result=result,
        rules=[p for p in policies if settings.runs(p.id)],
        scan_base=settings.scan_base,
        repo_prefix=settings.repo_prefix,
        display_prefix=_display_prefix(settings.scan_base),
        min_severity=settings.min_severity,
        baselined=baselined,
        tool_version=__version__,
    )
    _write_reports(report, settings)
    if result.errors:
        return ExitCode.USAGE
    return ExitCode.FINDINGS if report.failing() else ExitCode.OK


def _display_prefix(scan_base: Path) -> str:
    """scan_base relative to the current directory ("" when it is the current directory)."""
    base, here = scan_base.resolve(), Path.cwd().resolve()
    if base == here or not base.is_relative_to(here):
        return ""
    return base.relative_to(here).as_posix()


def _known_findings(settings: LintSettings) -> frozenset[str] | None:
    if settings.baseline is None:
        return None
    from drgen.lint.baseline import load_baseline

    return load_baseline(settings.baseline)


def _check(
    project: Project, settings: LintSettings, today: date
) -> tuple[list[Finding], list[Policy]]:
    """Run the policies; with no Terraform at all, skip loading them unless a report lists rules.

    (SARIF and JUnit list every rule; the engine and policy schema cost startup time.)
    """
    if not project.files_scanned and not {"sarif", "junit"} & set(settings.formats):
        return [], []
    from drgen.lint.engine import lint_project
    from drgen.lint.policies import load_policies

    policies = load_policies(settings.policies_dirs)
    if not project.files_scanned:
        return [], policies
    findings = lint_project(
        project,
        policies,
        strict=settings.strict,
        objectives=settings.objectives,
        today=today,
        severity_overrides=settings.severity_overrides,
        enabled=settings.enable,
        skip=settings.skip,
    )
    return findings, policies


def _config(options: LintOptions) -> Config:
    if options.config is not None:
        return load_config(options.config)
    found = find_config(options.paths[0] if options.paths else Path())
    return load_config(found) if found else Config()


def _exclude(result: LintResult, settings: LintSettings, config: Config) -> LintResult:
    """Drop findings and errors in files the config excludes (globs from the config's folder)."""
    if not config.exclude:
        return result
    root = (config.root or Path()).resolve()

    def excluded(file: str) -> bool:
        absolute = (settings.scan_base / file).resolve()
        relative = absolute.relative_to(root) if absolute.is_relative_to(root) else absolute
        return is_excluded(relative.as_posix(), config.exclude)

    result.findings = [f for f in result.findings if not excluded(f.file)]
    result.errors = [e for e in result.errors if not excluded(e.file)]
    return result


def _write_reports(report: ReportInput, settings: LintSettings) -> None:
    from drgen.report import file_name, renderer

    for fmt in settings.formats:
        colour = fmt == "text" and settings.output is None and settings.output_dir is None
        text = renderer(fmt)(_with_colour(report, colour and sys.stdout.isatty()))
        if settings.output_dir is not None:
            settings.output_dir.mkdir(parents=True, exist_ok=True)
            (settings.output_dir / file_name(fmt)).write_text(text, encoding="utf-8")
        elif settings.output is not None:
            settings.output.parent.mkdir(parents=True, exist_ok=True)
            settings.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)


def _with_colour(report: ReportInput, colour: bool) -> ReportInput:
    import os

    return replace(report, color=colour and "NO_COLOR" not in os.environ)
