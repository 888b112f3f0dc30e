"""Entry points of the pre-commit hooks in .pre-commit-hooks.yaml.

``python -m drgen.precommit lint [options] FILES``: lint only the modules (folders) the
changed .tf files belong to, never the whole repository.
``python -m drgen.precommit render-check FILES``: ``drgen render --check`` for every spec
listed under ``render:`` in .drgen.yaml whose spec, output folder or config changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from drgen.errors import DrgenError, ExitCode, os_problem


def changed_modules(files: Sequence[str]) -> list[Path]:
    """The folders holding the changed Terraform files, each once, sorted."""
    terraform = (Path(f) for f in files if f.endswith((".tf", ".tf.json")))
    return sorted({f.parent for f in terraform})


def run_lint_hook(argv: Sequence[str]) -> int:
    from drgen.lint.cli.lint_command import LintOptions, run_lint

    parser = argparse.ArgumentParser(prog="drgen-lint")
    parser.add_argument("--min-severity")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--policies-dir", type=Path, action="append", default=[])
    parser.add_argument("--objectives")
    parser.add_argument("--spec", type=Path)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--check", action="append", default=[])
    parser.add_argument("--skip-check", action="append", default=[])
    parser.add_argument("--soft-fail", action="store_true")
    parser.add_argument("--soft-fail-on", action="append", default=[])
    parser.add_argument("--hard-fail-on", action="append", default=[])
    parser.add_argument("--require-modules", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    modules = changed_modules(args.files)
    if not modules:
        return ExitCode.OK
    return run_lint(
        LintOptions(
            paths=modules,
            min_severity=args.min_severity,
            config=args.config,
            baseline=args.baseline,
            policies_dirs=args.policies_dir,
            objectives=args.objectives,
            spec=args.spec,
            strict=args.strict,
            quiet=True,
            checks=args.check,
            skip_checks=args.skip_check,
            soft_fail=args.soft_fail,
            soft_fail_on=args.soft_fail_on,
            hard_fail_on=args.hard_fail_on,
            require_modules=args.require_modules,
        )
    )


def run_render_check_hook(files: Sequence[str], start: Path) -> int:
    from drgen.config import find_config, load_config

    found = find_config(start)
    config = load_config(found) if found else None
    if config is None or not config.render:
        print(
            "drgen-render-check: nothing to check (no render: section in .drgen.yaml); passing",
            file=sys.stderr,
        )
        return ExitCode.OK
    from drgen.render.command import run_render

    changed = {(start / f).resolve() for f in files}
    config_changed = config.source is not None and config.source.resolve() in changed
    code = 0
    for target in config.render:
        spec, output = target.spec.resolve(), target.output.resolve()
        touched = spec in changed or any(p.is_relative_to(output) for p in changed)
        if config_changed or touched:
            code = max(
                code, run_render(target.spec, target.output, check=True, diff=False, force=False)
            )
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    hooks: dict[str, Callable[[list[str]], int]] = {
        "lint": run_lint_hook,
        "render-check": lambda files: run_render_check_hook(files, Path()),
    }
    if not args or args[0] not in hooks:
        print("usage: python -m drgen.precommit {lint|render-check} [FILES...]", file=sys.stderr)
        return ExitCode.USAGE
    try:
        return int(hooks[args[0]](args[1:]))
    except DrgenError as error:
        print(error.format(), file=sys.stderr)
        return error.exit_code
    except OSError as error:
        print(os_problem(error).format(), file=sys.stderr)
        return ExitCode.USAGE
    except Exception:  # as in drgen.cli.main: a bug says so instead of a bare traceback
        import traceback

        from drgen import __version__

        traceback.print_exc()
        print(
            f"drgen {__version__} hit an internal error; please report it with the lines above.",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL


if __name__ == "__main__":
    sys.exit(main())
