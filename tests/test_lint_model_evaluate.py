"""Static evaluation: what drgen resolves (literals, var/local lookups) and what stays unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen.lint.evaluation.scope import UNKNOWN, Scope
from drgen.lint.model.roots import Expression, Value
from drgen.lint.topology.project import build_project


def expr(source: str) -> Expression:
    return Expression(source)


SCOPE = Scope(
    {"region": "eu-west-1", "regions": {"dr": "us-west-2"}, "zones": ["a", "b"], "open": UNKNOWN},
    {
        "dr": expr('var.regions["dr"]'),
        "chain": expr("local.dr"),
        "loop_a": expr("local.loop_b"),
        "loop_b": expr("local.loop_a"),
        "mixed": [expr("var.region"), expr("data.aws_region.x.name")],
    },
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("literal", "literal"),
        (expr("var.region"), "eu-west-1"),
        (expr('"${var.region}"'), "eu-west-1"),
        (expr("var.regions.dr"), "us-west-2"),
        (expr("var.zones[1]"), "b"),
        (expr("local.chain"), "us-west-2"),
        (expr("var.open"), UNKNOWN),
        (expr("var.missing"), UNKNOWN),
        (expr("local.loop_a"), UNKNOWN),
        (expr("var.zones[5]"), UNKNOWN),
        (expr('"${var.region}-b"'), "eu-west-1-b"),
        (expr('"${data.aws_region.current.name}-b"'), UNKNOWN),
        (expr('lookup(var.regions, "dr")'), "us-west-2"),
        (expr('lookup(var.regions, "primary", var.region)'), "eu-west-1"),
        (expr('try(lookup(var.regions, "primary"), "none")'), "none"),
        (expr('format("%s-b", var.region)'), UNKNOWN),
        (expr("data.aws_region.current.name"), UNKNOWN),
    ],
)
def test_resolve(value: Value, expected: object) -> None:
    assert SCOPE.resolve(value) == expected


def test_unknown_collection_elements_stay_expressions() -> None:
    assert SCOPE.resolve(expr("local.mixed")) == ["eu-west-1", expr("data.aws_region.x.name")]


def test_auto_tfvars_override_terraform_tfvars_which_override_defaults(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "region" {\n  default = "us-east-1"\n}\n'
        'provider "aws" {\n  region = var.region\n}\n'
        'resource "aws_sqs_queue" "q" {}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.roots[0].resources[0].region == "us-east-1"
    (tmp_path / "terraform.tfvars").write_text('region = "eu-west-1"\n')
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.roots[0].resources[0].region == "eu-west-1"
    (tmp_path / "b.auto.tfvars.json").write_text('{"region": "ap-south-1"}\n')
    (tmp_path / "a.auto.tfvars").write_text('region = "sa-east-1"\n')
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.roots[0].resources[0].region == "ap-south-1"


def test_required_variable_without_value_leaves_region_unknown(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "region" {}\nprovider "aws" {\n  region = var.region\n}\n'
        'resource "aws_sqs_queue" "q" {}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.roots[0].resources[0].region is None


def flags() -> Scope:
    """A fresh scope per use: one evaluation budget must not leak between tests."""
    return Scope(
        {
            "create": False,
            "enabled": True,
            "names": ["a", "b", "a"],
            "rules": {},
            "n": 2,
            "sizes": {"two": 2, "one": 1},
        },
        {"on": expr("var.enabled && !var.create")},
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("var.create ? 1 : 0", 0),
        ("local.on ? 1 : 0", 1),
        ("var.enabled && var.n > 1 ? 1 : 0", 1),
        ("length(var.rules) > 0 ? 1 : 0", 0),
        ("length(toset(var.names))", 2),
        ('contains(var.names, "b")', True),
        ("var.n * 2 + 1", 5),
        ("var.n == 2.0", True),
        ('var.n == "2"', False),
        ("merge({ a = 1 }, { b = var.n })", {"a": 1, "b": 2}),
        ('coalesce(null, "", "x")', "x"),
        # try/can: only a certain failure falls through; an unknown value is no failure
        ('try(var.rules["primary"], "fallback")', "fallback"),
        ('try(data.aws_region.x.name, "us-east-1")', UNKNOWN),
        ('can(var.rules["primary"])', False),
        ("can(var.names[1])", True),
        ("can(data.aws_region.x.name)", UNKNOWN),
        ('length(var.rules["primary"])', UNKNOWN),
        ('lower("EU-WEST-1")', "eu-west-1"),
        ("keys({ b = 1, a = 2 })", ["a", "b"]),
        # Terraform's short-circuits: a known false/true decides regardless of the rest
        ("var.create && aws_s3_bucket.x.id != null", False),
        ("var.enabled || aws_s3_bucket.x.id != null", True),
        # a resource's arn and id are unknown but never null (the provider always sets them)
        ("var.enabled && aws_s3_bucket.x.id != null", True),
        ("aws_s3_bucket.x.id == null ? 1 : 1", 1),
        ("aws_s3_bucket.x.id == null ? 1 : 0", 0),
        ('data.aws_kms_key.k[0].arn != null ? "aws:kms" : "AES256"', "aws:kms"),
        # unknown stays unknown: other attributes may be null, and arn is no value to compare
        ("aws_db_instance.x.replicate_source_db == null ? 1 : 0", UNKNOWN),
        ('aws_s3_bucket.x.arn == "arn:aws:s3:::x"', UNKNOWN),
        ("aws_s3_bucket.x.arn.foo == null", UNKNOWN),
        # for expressions over known collections (maps iterate in key order, as Terraform)
        ("[for n in var.names : upper(n)]", ["A", "B", "A"]),
        ('[for i, n in var.names : i if n == "a"]', [0, 2]),
        ("{ for k, v in var.sizes : k => v if local.on }", {"one": 1, "two": 2}),
        ("{ for k, v in var.sizes : v => k }", {"1": "one", "2": "two"}),
        ("{ for n in var.names : n => n... }", {"a": ["a", "a"], "b": ["b"]}),
        ('[for k, v in var.sizes : "${k}=${v}" if v > 1]', ["two=2"]),
        ("length({ for k, v in var.sizes : k => v if !var.create })", 2),
        ("[for n in var.names : [for m in var.names : m if m != n]]", [["b"], ["a", "a"], ["b"]]),
        ("[for n in [] : n]", []),
        ("{ for i in range(2) : i => {} }", {"0": {}, "1": {}}),
        (
            "[range(3), range(1, 3), range(4, 1), range(1, 8, 3)]",
            [[0, 1, 2], [1, 2], [4, 3, 2], [1, 4, 7]],
        ),
        ("range(1, 4, 0)", UNKNOWN),
        ("range(var.n, 1, 1)", UNKNOWN),  # a step away from the limit: Terraform rejects it
        ('try(range(1, 4, 0), "x")', "x"),
        # object keys: bare names, numbers (as terraform-aws-rds-aurora's instances map),
        # strings and parenthesised expressions
        (
            '{ 1 = { a = 1 }, 2.0 = "x", "k-${var.n}" = 3, (var.names[1]) = 4 }',
            {"1": {"a": 1}, "2": "x", "k-2": 3, "b": 4},
        ),
        ("{ (data.aws_region.x.name) = 1 }", UNKNOWN),
        ("{ for n in var.names : n => n }", UNKNOWN),  # duplicate key: Terraform rejects it
        ("[for n in var.names : n if n]", UNKNOWN),  # a condition that is not a bool
        ("[for n in var.missing : n]", UNKNOWN),
        ("[for n in var.names : aws_s3_bucket.x[n].id]", UNKNOWN),
        ('[for n in var.names : aws_s3_bucket.x.id if n == "z"]', []),
        ("var.names[*]", UNKNOWN),
        ("jsonencode(var.names)", UNKNOWN),
        ("var.n +", UNKNOWN),
        ("1 / 0", UNKNOWN),
        ('"%{if var.enabled}x%{endif}"', UNKNOWN),
        ('"$${literal}-${var.n}"', "${literal}-2"),
    ],
)
def test_evaluate_expressions(source: str, expected: object) -> None:
    assert flags().resolve(expr(source)) == expected


def test_conditional_count_false_by_default_means_absent(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "create_replica" {\n  type    = bool\n  default = false\n}\n'
        'resource "aws_s3_bucket" "replica" {\n  count  = var.create_replica ? 1 : 0\n}\n'
        'resource "aws_s3_bucket" "main" {\n  count  = var.create_replica ? 0 : 1\n}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert [(r.address, r.expanded) for r in project.roots[0].resources] == [
        ("aws_s3_bucket.main", True)
    ]


def test_evaluated_body_reads_variables_and_keeps_unknowns(tmp_path: Path) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(
        'variable "multi_az" {\n  default = false\n}\nvariable "replicas" {\n  default = []\n}\n'
        'resource "aws_db_instance" "db" {\n'
        "  multi_az                = var.multi_az\n"
        "  backup_retention_period = var.multi_az ? 7 : 1\n"
        "  kms_key_id              = aws_kms_key.k.arn\n"
        '  dynamic "replica" {\n    for_each = var.replicas\n'
        "    content {\n      region = replica.value\n    }\n  }\n}\n"
    )
    (tmp_path / "main.tf").write_text(
        'module "db" {\n  source   = "./child"\n  multi_az = true\n  replicas = ["us-west-2"]\n}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    (db,) = project.roots[0].resources
    assert db.body.get("multi_az") == Expression("var.multi_az", ("var.multi_az",))  # as written
    values = db.values
    assert (values.get("multi_az"), values.get("backup_retention_period")) == (True, 7)
    assert values.get("kms_key_id") == Expression("aws_kms_key.k.arn", ("aws_kms_key.k.arn",))
    (dynamic,) = values.blocks_named("dynamic")
    assert dynamic.get("for_each") == ["us-west-2"]
    assert dynamic.blocks[0].get("region") == Expression("replica.value", ("replica.value",))
    assert values.line_of("multi_az") == db.body.line_of("multi_az") == 8


_EXPRESSION_PIECES = [
    *"()[]{}!?:,.=<>+-*/%\"'\\ \n#",
    "var.create", "local.on", "var.names", "true", "null", "1", "2.5", "&&", "||", "==",
    "length(", "merge(", "try(", "can(", "for x in", "=>", "${", "%{", "[*]", "...", "<<EOT",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.one_of(
        st.text(max_size=50),
        st.lists(st.sampled_from(_EXPRESSION_PIECES), max_size=25).map("".join),
    )
)
def test_evaluation_never_raises(source: str) -> None:
    flags().resolve(expr(source))


def test_for_expressions_spend_the_budget_instead_of_hanging() -> None:
    # a million iterations (also through a template) give up as UNKNOWN; ten thousand are fine
    assert flags().resolve(expr("[for a in range(1000) : [for b in range(1000) : b]]")) is UNKNOWN
    nested_in_template = '[for a in range(1000) : "${length([for b in range(1000) : b])}"]'
    assert flags().resolve(expr(nested_in_template)) is UNKNOWN
    grid = flags().resolve(expr("[for a in range(100) : length([for b in range(100) : b])]"))
    assert grid == [100] * 100
