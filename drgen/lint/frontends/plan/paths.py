"""Which paths given to lint are Terraform plans (``terraform show -json``), read into roots.

A file given directly is a plan when its content says so (a ``format_version`` and
``planned_values``), whatever its name; ``.tf``, ``.tf.json`` and tfvars files keep standing
for their folder, except a ``.tf.json`` that holds a plan. Any other file that is not a plan
is a file error (exit 2), not a silent scan of its folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drgen.bounded_read import UnreadableFile, read_regular
from drgen.findings import FileError
from drgen.lint.frontends.discovery import display_name, is_terraform, is_tfvars
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.frontends.plan.reader import plan_document, read_plan
from drgen.lint.model.roots import Root

MAX_PLAN_BYTES = 64 << 20  # a plan of thousands of resources stays far below


@dataclass
class PlanInputs:
    others: list[Path] = field(default_factory=list)  # paths that are not plans
    roots: list[Root] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0  # plan files read


def read_plans(paths: Sequence[Path], base: Path) -> PlanInputs:
    found = PlanInputs()
    for path in paths:
        if not path.is_file() or is_tfvars(path.name) or path.name.endswith(".tf"):
            found.others.append(path)
            continue
        name = display_name(path, base)
        try:
            data = read_regular(path, MAX_PLAN_BYTES)
        except UnreadableFile as error:
            found.errors.append(FileError(name, 1, 1, f"cannot read file: {error.reason}"))
            continue
        except OSError as error:
            found.errors.append(FileError(name, 1, 1, f"cannot read file: {error.strerror}"))
            continue
        if is_terraform(path.name) and plan_document(data) is None:
            found.others.append(path)
            continue
        found.files += 1
        result = read_plan(data, name)
        if isinstance(result, SyntaxProblem):
            message = f"not a readable Terraform plan: {result.message}"
            found.errors.append(FileError(name, result.line, result.column, message))
        else:
            found.roots.append(result)
    return found
