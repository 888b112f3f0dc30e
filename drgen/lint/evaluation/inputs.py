"""Variable values a root gets from outside its folder: ``TF_VAR_*``, ``--var-file``, ``--var``.

Terraform's precedence, lowest first: the variable's default, ``TF_VAR_<name>`` environment
variables, ``terraform.tfvars``, ``*.auto.tfvars`` (by name), then ``-var-file`` and ``-var``.
drgen applies ``--var-file`` files in the order given and then ``--var`` assignments in the
order given (Terraform interleaves the two by command-line position). Values from the
environment and ``--var`` are strings, read as HCL when the variable's type is not
``string``, as Terraform does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from drgen.bounded_read import MAX_TERRAFORM_FILE_BYTES, UnreadableFile, read_regular
from drgen.errors import DrgenError, Problem
from drgen.lint.evaluation.expressions import evaluate
from drgen.lint.frontends.parsing import parse_bytes
from drgen.lint.model.roots import Block, Expression, Value
from drgen.lint.model.values import UNKNOWN, Resolved

_ENVIRONMENT_PREFIX = "TF_VAR_"


@dataclass(frozen=True)
class Assignment:
    name: str
    value: Value
    raw: bool  # a string from the command line or the environment, not yet read by type


@dataclass(frozen=True)
class Inputs:
    """What the run was given for every root: environment first, then the command line."""

    environment: tuple[Assignment, ...] = ()
    command_line: tuple[Assignment, ...] = ()


NO_INPUTS = Inputs()


def collect_inputs(
    var_files: Sequence[Path], assignments: Sequence[str], environ: Mapping[str, str]
) -> Inputs:
    """Read the var files and ``NAME=VALUE`` flags; a bad one is a located error (exit 2)."""
    problems: list[Problem] = []
    command_line: list[Assignment] = []
    for path in var_files:
        command_line.extend(_var_file(path, problems))
    for text in assignments:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            problems.append(
                Problem(
                    f"--var {text!r} is not NAME=VALUE",
                    hint='write it as --var region=us-east-1 (quote the whole "NAME=VALUE")',
                )
            )
            continue
        command_line.append(Assignment(name.strip(), value, raw=True))
    if problems:
        raise DrgenError(problems)
    environment = tuple(
        Assignment(key.removeprefix(_ENVIRONMENT_PREFIX), value, raw=True)
        for key, value in sorted(environ.items())
        if key.startswith(_ENVIRONMENT_PREFIX) and len(key) > len(_ENVIRONMENT_PREFIX)
    )
    return Inputs(environment, tuple(command_line))


def _var_file(path: Path, problems: list[Problem]) -> list[Assignment]:
    try:
        data = read_regular(path, MAX_TERRAFORM_FILE_BYTES)
    except UnreadableFile as error:
        problems.append(Problem(f"cannot read var file: {error.reason}", file=str(path)))
        return []
    except OSError as error:
        problems.append(Problem(f"cannot read var file: {error.strerror}", file=str(path)))
        return []
    parsed = parse_bytes(
        data, is_json=path.name.endswith(".json"), parser="tree-sitter", cache=None
    )
    if parsed.error is not None:
        problems.append(
            Problem(
                parsed.error.message,
                file=str(path),
                line=parsed.error.line,
                column=parsed.error.column,
            )
        )
        return []
    return [Assignment(k, v, raw=False) for k, v in parsed.body.attributes.items()]


def typed(assignment: Assignment, variable: Block) -> Value | Resolved:
    """The assignment's value as the variable receives it (raw strings read by its type)."""
    if not assignment.raw or not isinstance(assignment.value, str):
        return assignment.value
    declared = variable.get("type")
    kind = declared.source if isinstance(declared, Expression) else declared
    if kind in (None, "string"):
        return assignment.value
    return evaluate(assignment.value, lambda _kind, _name: UNKNOWN)
