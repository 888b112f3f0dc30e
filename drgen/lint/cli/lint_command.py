"""`drgen lint`: merge config and flags, build the model, run the policies, write the reports.

Exit codes: 0 when no unsuppressed finding is at or above the threshold, 1 when one is,
2 for usage or config errors and whenever a file could not be parsed (the other files
are still linted and reported).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from drgen import __version__, atomic
from drgen.config import Config, find_config, is_excluded, load_config
from drgen.errors import ExitCode
from drgen.findings import LintResult
from drgen.lint.cli.settings import LintSettings, merge_settings
from drgen.lint.engine.selection import Gate
from drgen.report import ReportInput

if TYPE_CHECKING:
    from drgen.findings import Finding
    from drgen.lint.engine.baseline import Baseline
    from drgen.lint.engine.catalog import Policy
    from drgen.lint.model.roots import Project


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
    retention_floor: int | None = None  # --retention-floor DAYS (DR038)
    spec: Path | None = None
    config: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    list_suppressions: bool = False
    quiet: bool = False
    checks: list[str] = field(default_factory=list)  # --check: ids or wildcards
    skip_checks: list[str] = field(default_factory=list)
    soft_fail: bool = False
    soft_fail_on: list[str] = field(default_factory=list)  # ids, wildcards or severities
    hard_fail_on: list[str] = field(default_factory=list)
    require_modules: bool = False  # a module call drgen could not analyse is an error
    download_modules: bool = False  # fetch remote module sources into drgen's cache
    var_files: list[Path] = field(default_factory=list)  # --var-file, in order
    variables: list[str] = field(default_factory=list)  # --var NAME=VALUE, in order
    environ: dict[str, str] | None = None  # injectable for tests; None = os.environ
    today: date | None = None  # injectable for tests; None = today


def run_lint(options: LintOptions) -> int:
    from drgen.lint.frontends.discovery import check_paths

    check_paths(options.paths)  # before anything resolves them (a link loop would raise)
    config = _config(options)
    settings = merge_settings(options, config)
    known = _known_findings(settings)  # a bad baseline fails before a long scan
    from drgen.lint.cli.progress import progress

    with progress(quiet=options.quiet) as step:
        step("Parsing Terraform…")
        from drgen.lint.evaluation.inputs import collect_inputs
        from drgen.lint.topology.project import build_project

        environ = os.environ if options.environ is None else options.environ
        inputs = collect_inputs(options.var_files, options.variables, environ)
        project, errors = build_project(
            options.paths, inputs=inputs, download_modules=options.download_modules
        )
        today = options.today or date.today()
        if options.list_suppressions:
            from drgen.report import suppressions

            listed = suppressions.collect(project)
            sys.stdout.write(suppressions.render(listed, today, settings.exemptions))
            return ExitCode.OK
        step(f"Checking {len(project.roots)} root module(s)…")
        findings, policies, selected = _check(project, settings, today)
    result = LintResult(
        findings=findings,
        errors=list(errors),
        files_scanned=project.files_scanned,
        roots=[root.directory for root in project.roots],
        not_analysed=list(project.not_analysed),
    )
    result = _exclude(result, settings, config).sorted()
    if options.write_baseline is not None:
        from drgen.lint.engine.baseline import write_baseline

        count = write_baseline(options.write_baseline, result.findings, settings.repo_prefix)
        print(f"drgen: recorded {count} finding(s) in {options.write_baseline}", file=sys.stderr)
        return ExitCode.OK
    baselined = 0
    if known is not None:
        from drgen.lint.engine.baseline import apply_baseline

        result.findings, baselined = apply_baseline(result.findings, known, settings.repo_prefix)
    report = ReportInput(
        result=result,
        rules=[p for p in policies if p.id in selected.runs],
        scan_base=settings.scan_base,
        repo_prefix=settings.repo_prefix,
        display_prefix=_display_prefix(settings.scan_base),
        min_severity=settings.min_severity,
        baselined=baselined,
        tool_version=__version__,
        gate=selected.gate,
    )
    _write_reports(report, settings)
    if result.errors:
        return ExitCode.USAGE
    if options.require_modules and result.not_analysed:
        _report_unanalysed(result.not_analysed)
        return ExitCode.USAGE
    failing = report.failing()
    if not failing and selected.gate.soft_fail and summary_count(report):
        print("drgen: --soft-fail: findings reported, exit 0", file=sys.stderr)
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _report_unanalysed(calls: list[str]) -> None:
    """--require-modules: name every module call drgen did not analyse, and the fix."""
    print(f"drgen: --require-modules: {len(calls)} module call(s) not analysed:", file=sys.stderr)
    for call in calls:
        print(f"  {call}", file=sys.stderr)
    print(
        "  fix: run `terraform init` in each root so drgen reads .terraform/modules, "
        "pass --download-modules, or vendor the module into the repository",
        file=sys.stderr,
    )


def summary_count(report: ReportInput) -> int:
    return sum(1 for f in report.result.findings if not f.suppressed)


@dataclass(frozen=True)
class _Selected:
    """The policy selection and gate once the patterns met the loaded catalog."""

    runs: frozenset[str]
    gate: Gate


def _display_prefix(scan_base: Path) -> str:
    """scan_base relative to the current directory ("" when it is the current directory)."""
    base, here = scan_base.resolve(), Path.cwd().resolve()
    if base == here or not base.is_relative_to(here):
        return ""
    return base.relative_to(here).as_posix()


def _known_findings(settings: LintSettings) -> Baseline | None:
    if settings.baseline is None:
        return None
    from drgen.lint.engine.baseline import load_baseline

    known, note = load_baseline(settings.baseline)
    if note:
        print(note, file=sys.stderr)
    return known


def _check(
    project: Project, settings: LintSettings, today: date
) -> tuple[list[Finding], list[Policy], _Selected]:
    """Run the policies; with no Terraform at all, skip loading them unless a report lists
    rules or a pattern must be checked against the catalog.

    (SARIF and JUnit list every rule; the engine and policy schema cost startup time.)
    """
    wants_rules = {"sarif", "junit"} & set(settings.formats) or settings.needs_policies()
    if not project.files_scanned and not wants_rules:
        return [], [], _Selected(frozenset(), Gate(min_severity=settings.min_severity))
    from drgen.lint.engine.catalog import load_policies
    from drgen.lint.engine.run import lint_project

    policies = load_policies(settings.policies_dirs)
    known = frozenset(p.id for p in policies)
    enable, skip, gate = settings.selection.resolve(known, settings.min_severity)
    runs = frozenset(i for i in known if (enable is None or i in enable) and i not in skip)
    selected = _Selected(runs, gate)
    from drgen.lint.engine.exemptions import resolve_rules

    exemptions = resolve_rules(settings.exemptions, known)
    if not project.files_scanned:
        return [], policies, selected
    findings = lint_project(
        project,
        policies,
        strict=settings.strict,
        objectives=settings.objectives,
        decision_seconds=settings.decision_seconds,
        retention_floor_days=settings.retention_floor_days,
        today=today,
        severity_overrides=settings.severity_overrides,
        enabled=runs,
        exemptions=exemptions,
    )
    return findings, policies, selected


def _config(options: LintOptions) -> Config:
    if options.config is not None:
        return load_config(options.config)
    found = find_config(options.paths[0] if options.paths else Path())
    if found is None:
        return Config()
    here = Path.cwd().resolve()
    return load_config(found.relative_to(here) if found.is_relative_to(here) else found)


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
            atomic.write_text(settings.output_dir / file_name(fmt), text)
        elif settings.output is not None:
            atomic.write_text(settings.output, text)
        else:
            sys.stdout.write(text)


def _with_colour(report: ReportInput, colour: bool) -> ReportInput:
    import os

    return replace(report, color=colour and "NO_COLOR" not in os.environ)
