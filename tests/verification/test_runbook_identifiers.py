"""The runbook test: every name the failover and failback procedures use exists in the rendered
tree (or is created by an earlier step of the same procedure), every Terraform output they read
is declared by the root they read it from, and every regional call names its region: the
recovery region during a failover.

Checked on the model the README, the scripts and the drill share (drgen.runbook), for every
sample and variation of the verification suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from drgen.render import RenderedTree, render_spec
from drgen.render.arc import endpoint_region
from drgen.runbook import build_runbook
from drgen.runbook.model import Arg, Command, Procedure, Var
from drgen.spec import load_spec
from drgen.spec.model import Spec

from .cases import Case, all_cases, write_spec

CASES = all_cases()

# Options whose value names something the tree creates (a literal, or an ARN/Join ending in it).
NAME_OPTIONS = frozenset(
    {
        "--db-instance-identifier",
        "--db-cluster-identifier",
        "--global-cluster-identifier",
        "--target-db-cluster-identifier",
        "--source-db-instance-identifier",
        "--table-name",
        "--backup-vault-name",
        "--source-backup-vault-name",
        "--destination-backup-vault-arn",
        "--auto-scaling-group-name",
        "--alarm-names",
        "--namespace",
        "--metric-name",
        "--kms-key-id",
        "--iam-role-arn",
        "--names",
        "--bucket",
        "--by-resource-arn",
    }
)
# Options that name what the command itself creates, so later steps may use it.
CREATED_OPTIONS = frozenset(
    {"--db-instance-identifier", "--db-cluster-identifier", "--new-db-instance-identifier",
     "--new-db-cluster-identifier"}
)  # fmt: skip
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _tree_strings(tree: RenderedTree) -> set[str]:
    """Every string literal of the .tf files and each literal piece around a ``${…}``."""
    strings: set[str] = set()
    for path, text in tree.files.items():
        if not path.endswith(".tf"):
            continue
        for literal in _STRING.findall(text):
            strings.add(literal)
            strings.update(piece for piece in re.split(r"\$\{[^}]*\}", literal) if piece)
    return strings


def _outputs(tree: RenderedTree, root: str) -> set[str]:
    text = tree.files.get(f"{root}/outputs.tf", "")
    return set(re.findall(r'^output "([^"]+)"', text, re.MULTILINE))


def _name_in(arg: Arg) -> str | None:
    """The name an argument carries: a literal, or the text after an ARN's last ':' or '/'.
    A bucket's ``<stem>-`` + account id gives the stem with its hyphen."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, Var):
        return None  # captured at run time from a describe call or a Terraform output
    last = arg.parts[-1]
    if isinstance(last, Var):
        first = arg.parts[0]
        return first if isinstance(first, str) else None
    return re.split(r"[:/]", last)[-1] or None


def _known(name: str, strings: set[str]) -> bool:
    return name in strings or any(s.endswith((f":{name}", f"/{name}")) for s in strings)


def _commands(procedure: Procedure) -> Iterator[Command]:
    for step in procedure.steps:
        for command in step.commands:
            # expect <value> <command…>: the polled command starts after the value
            if command.program == "expect":
                yield Command(command.argv[2:], capture=command.capture)
            else:
                yield command


def _case(case: Case, tmp_path: Path) -> tuple[Spec, RenderedTree]:
    spec = load_spec(write_spec(case, tmp_path))
    return spec, render_spec(spec)


def name_problems(spec: Spec, tree: RenderedTree) -> list[str]:
    """Runbook names the tree does not have, one line each."""
    strings = _tree_strings(tree)
    problems: list[str] = []
    created: set[str] = set()  # failback works on what the failover created
    for procedure in build_runbook(spec).procedures:
        for command in _commands(procedure):
            argv = command.argv
            if command.program == "terraform":
                root = str(argv[1]).removeprefix("-chdir=")
                if argv[2] == "output" and argv[-1] not in _outputs(tree, root):
                    problems.append(f"{procedure.name}: {root} has no output {argv[-1]}")
                continue
            if command.program != "aws":
                continue
            operation = str(argv[2])
            for index, arg in enumerate(argv[:-1]):
                value = _name_in(argv[index + 1])
                if arg not in NAME_OPTIONS or value is None:
                    continue
                if operation.startswith(("create-", "restore-")) and arg in CREATED_OPTIONS:
                    created.add(value)
                elif value not in created and not _known(value, strings):
                    words = " ".join(str(word) for word in argv[1:3])
                    problems.append(f"{procedure.name}: {words} {arg} {value}")
            for option in ("--new-db-instance-identifier", "--new-db-cluster-identifier"):
                new = command.option(option)
                if isinstance(new, str):
                    created.add(new)
    return problems


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_runbook_name_exists_in_the_tree(case: Case, tmp_path: Path) -> None:
    spec, tree = _case(case, tmp_path)
    assert not name_problems(spec, tree), "\n".join(name_problems(spec, tree))


def test_a_name_the_tree_lacks_is_caught(tmp_path: Path) -> None:
    """The check can fail: without the gate alarms or a 3-primary output the runbook's
    names are unknown."""
    case = next(case for case in CASES if case.id == "warm-standby")
    spec, tree = _case(case, tmp_path)
    files = {path: text for path, text in tree.files.items() if path != "5-dns/gate.tf"}
    files["3-primary/outputs.tf"] = files["3-primary/outputs.tf"].replace(
        'output "db_subnet_group_name"', 'output "renamed"'
    )
    broken = RenderedTree(files=files, resources=tree.resources, warnings=(), roots=tree.roots)
    problems = "\n".join(name_problems(spec, broken))
    assert "--alarm-names shop-traffic-pri" in problems
    assert "3-primary has no output db_subnet_group_name" in problems


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_regional_call_names_its_region(case: Case, tmp_path: Path) -> None:
    spec = load_spec(write_spec(case, tmp_path))
    runbook = build_runbook(spec)
    primary, recovery = runbook.primary_region, runbook.recovery_region
    arc_region = endpoint_region(primary, recovery)
    problems = []
    for procedure in runbook.procedures:
        for command in _commands(procedure):
            if command.program != "aws":
                continue
            region = command.option("--region")
            words = " ".join(str(arg) for arg in command.argv[1:3])
            if region not in (primary, recovery, arc_region):
                problems.append(f"{procedure.name}: {words} has no --region of the pair")
            elif procedure.name == "failover":
                allowed = arc_region if words.startswith("route53-recovery-cluster") else recovery
                if region != allowed:
                    problems.append(f"failover: {words} --region {region}, not {allowed}")
    assert not problems, "\n".join(problems)
