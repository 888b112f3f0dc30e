"""`drgen lint` settings: command-line flags merged over the config file over the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drgen.config import Config
from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.report import FORMATS

if TYPE_CHECKING:
    from drgen.lint.command import LintOptions
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
