"""Bounded lint work: one evaluation budget per root, a module instance budget, typed lookups.

Each case here hung, ran out of memory or crashed before the budgets existed (issue 10).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.domain import Severity
from drgen.findings import LintResult, remote_module_count
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.evaluation.budget import BudgetExceeded, EvaluationBudget
from drgen.lint.evaluation.instances import MAX_MODULE_INSTANCES
from drgen.lint.evaluation.scope import UNKNOWN, Scope
from drgen.lint.model.roots import Block, Expression, Project, Resource, Root
from drgen.lint.topology.project import build_project
from drgen.report import text
from drgen.report.model import ReportInput

DOUBLINGS = 26  # 2**26 list items or characters (minutes, gigabytes) if nothing stopped it


def doubling_locals(item: str, step: str) -> str:
    """``l0 = item``, then each local doubles the one before (about 1 KB of HCL)."""
    lines = ["locals {", f"  l0 = {item}"]
    lines += [f"  l{i} = {step.format(p=f'local.l{i - 1}')}" for i in range(1, DOUBLINGS)]
    return "\n".join([*lines, "}", ""])


def lint_root(tmp_path: Path, source: str) -> tuple[Project, Root]:
    (tmp_path / "main.tf").write_text(source)
    project, errors = build_project([tmp_path], use_cache=False)
    assert errors == []
    return project, project.roots[0]


def dr009(project: Project, *, strict: bool) -> list[str]:
    findings = lint_project(project, load_policies(), strict=strict)
    return [f.message for f in findings if f.rule_id == "DR009"]


@pytest.mark.parametrize(
    ("item", "step"),
    [
        ('["x"]', "concat({p}, {p})"),
        ('"xx"', '"${{{p}}}${{{p}}}"'),
        ('["x"]', "[for v in concat({p}, {p}) : v]"),
        ('["x"]', "[{p}, {p}]"),  # shallow, but knowing it is fully known walks it all
        ('"${data.aws_caller_identity.me.account_id}"', '"${{{p}}}${{{p}}}"'),  # shapes
    ],
    ids=["concat", "template", "for", "shared", "shape"],
)
def test_doubling_chains_run_out_of_budget_and_become_unknown(
    tmp_path: Path, item: str, step: str
) -> None:
    source = doubling_locals(item, step)
    source += f'resource "aws_s3_bucket" "b" {{\n  bucket = length(local.l{DOUBLINGS - 1})\n}}\n'
    project, root = lint_root(tmp_path, source)
    bucket = root.resources[0]
    assert isinstance(bucket.values.get("bucket"), Expression)  # unknown, kept as written
    assert [i.address for i in root.incomplete] == ["aws_s3_bucket.b"]
    assert dr009(project, strict=False) == []
    (message,) = [m for m in dr009(project, strict=True) if "evaluation budget" in m]
    assert message.startswith("aws_s3_bucket.b: the evaluation budget of this root ran out")


def test_a_short_doubling_chain_stays_within_budget() -> None:
    scope = Scope({}, {"l0": ["x"], **_chain(12)})
    assert scope.resolve(Expression("length(local.l11)")) == 2**11
    assert not scope.budget.exhausted


def _chain(length: int) -> dict[str, Expression]:
    return {
        f"l{i}": Expression(f"concat(local.l{i - 1}, local.l{i - 1})") for i in range(1, length)
    }


def test_one_budget_is_shared_by_every_expression_of_a_root() -> None:
    budget = EvaluationBudget(steps=200)
    first, second = Scope({}, {}, budget), Scope({}, {}, budget)
    assert first.resolve(Expression("[for i in range(100) : i]")) is UNKNOWN
    assert budget.exhausted
    assert second.resolve(Expression("1 + 1")) is UNKNOWN  # the root has nothing left
    assert Scope({}, {}).resolve(Expression("1 + 1")) == 2  # another root starts afresh


@pytest.mark.parametrize(
    "source",
    [
        "length(range(0, 100000000000))",  # built the list before its length check
        "range(-100000000000000000000000)",
        "length(range(0, 100000000000, -1))",
        "9" * 400 + " / 3",  # float overflow
        "9" * 400 + " / 0.5 > 1",
    ],
)
def test_huge_numbers_give_unknown_without_building_anything(source: str) -> None:
    scope = Scope({}, {})
    assert scope.resolve(Expression(source)) is UNKNOWN
    assert not scope.budget.exhausted


def test_range_at_terraforms_limit_is_still_built() -> None:
    assert Scope({}, {}).resolve(Expression("length(range(1024))")) == 1024


def test_comparing_shared_huge_values_spends_the_budget() -> None:
    nested: list[object] = ["x"]
    for _ in range(60):  # 2**60 leaves, built by sharing one list
        nested = [nested, nested]
    scope = Scope({"big": nested}, {}, EvaluationBudget(steps=10_000))
    assert scope.resolve(Expression("var.big == var.big")) is UNKNOWN
    assert scope.budget.exhausted


def test_spend_raises_once_exhausted_and_stays_exhausted() -> None:
    budget = EvaluationBudget(steps=3)
    budget.spend(3)
    with pytest.raises(BudgetExceeded):
        budget.spend()
    assert budget.exhausted
    assert not budget.afford()


def tiny_module_chain(base: Path, count: int) -> Path:
    """``count`` module folders, each with one bucket, calling the next one twice."""
    for i in range(count):
        folder = base / f"m{i}"
        folder.mkdir()
        body = 'resource "aws_s3_bucket" "b" {}\n'
        if i < count - 1:
            body += "".join(
                f'module "{name}" {{\n  source = "../m{i + 1}"\n}}\n' for name in ("a", "b")
            )
        (folder / "main.tf").write_text(body)
    return base / "m0"


def test_module_instances_are_expanded_under_a_budget(tmp_path: Path) -> None:
    project, errors = build_project([tiny_module_chain(tmp_path, 15)], use_cache=False)
    assert errors == []
    (root,) = project.roots
    assert len(root.resources) == MAX_MODULE_INSTANCES  # one bucket per instance reached
    assert project.not_analysed
    assert all(e.endswith("(module instance budget exceeded)") for e in project.not_analysed)
    assert remote_module_count(project.not_analysed) == 0
    (message,) = [m for m in dr009(project, strict=True) if "module instances" in m]
    assert f"expands more than {MAX_MODULE_INSTANCES} module instances" in message


def summary(project: Project) -> str:
    result = LintResult(
        files_scanned=project.files_scanned,
        roots=[r.directory for r in project.roots],
        not_analysed=project.not_analysed,
    )
    report = ReportInput(
        result=result,
        rules=[],
        scan_base=Path(),
        repo_prefix="",
        display_prefix="",
        min_severity=Severity.LOW,
        baselined=0,
        tool_version="test",
    )
    return text.render(report).splitlines()[-1]


def test_a_recursive_module_call_is_reported_as_recursion_not_as_remote(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_sqs_queue" "q" {}\nmodule "again" {\n  source = "./"\n}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.not_analysed == [".:module.again (recursive module call)"]
    line = summary(project)
    assert "remote" not in line and "terraform init" not in line
    assert "1 local module call(s) not analysed (recursive" in line


def test_a_remote_module_is_still_reported_as_remote(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert "1 remote module call(s) not analysed (run `terraform init`" in summary(project)


def bucket(name: str, kind: str = "aws_s3_bucket", mode: str = "managed") -> Resource:
    return Resource(
        mode, kind, name, (), Block("resource", (kind, name), {}, [], 1, 1), "m.tf", None
    )


def test_of_type_keeps_model_order_across_types_and_follows_appends() -> None:
    root = Root(".", [bucket("a"), bucket("q", "aws_sqs_queue"), bucket("b")])
    root.resources.append(bucket("d", mode="data"))
    assert [r.name for r in root.of_type("aws_sqs_queue", "aws_s3_bucket")] == ["a", "q", "b"]
    root.resources.append(bucket("c"))
    assert [r.name for r in root.of_type("aws_s3_bucket")] == ["a", "b", "c"]
    assert root.of_type("aws_s3_bucket", "aws_s3_bucket") == root.of_type("aws_s3_bucket")


def test_nesting_past_the_recursion_limit_is_unknown_and_reported(tmp_path: Path) -> None:
    nested = "[" * 5000 + "1" + "]" * 5000
    source = f'resource "aws_sqs_queue" "q" {{\n  name = length({nested})\n}}\n'
    project, root = lint_root(tmp_path, source)
    assert isinstance(root.resources[0].values.get("name"), Expression)
    (message,) = [m for m in dr009(project, strict=True) if "too deeply" in m]
    assert message.startswith("aws_sqs_queue.q: an expression here nests")


def test_a_long_chain_of_operators_is_not_nesting() -> None:
    assert Scope({}, {}).resolve(Expression(" + ".join(["1"] * 3000))) == 3000


def _bucket_work(tmp_path: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many logging targets lint resolves for ``count`` buckets (and one log bucket)."""
    from drgen.lint.checks import roles

    folder = tmp_path / str(count)
    folder.mkdir()
    buckets = [
        f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "data-{i}"\n}}' for i in range(count)
    ]
    logging = 'resource "aws_s3_bucket_logging" "l" {\n  bucket = aws_s3_bucket.b0.id\n'
    logging += '  target_bucket = aws_s3_bucket.b1.id\n  target_prefix = "x/"\n}'
    project, root = lint_root(folder, "\n".join([*buckets, logging, ""]))
    resolved = 0
    real = roles.targets

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal resolved
        resolved += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(roles, "targets", counting)
    findings = lint_project(project, load_policies(), strict=False)
    assert all(f.resource != "aws_s3_bucket.b1" for f in findings if f.rule_id == "DR001")
    assert [r for r in root.of_type("aws_s3_bucket") if roles.role(root, r) == roles.LOG]
    return resolved


def test_bucket_roles_are_linear_in_buckets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which buckets receive logs is derived once per root, not once per bucket: twice the
    buckets, about twice the work (it was four times: 8,000 buckets ran for minutes)."""
    small, large = (
        _bucket_work(tmp_path, 100, monkeypatch),
        _bucket_work(tmp_path, 200, monkeypatch),
    )
    assert large <= 2.2 * small, (small, large)
