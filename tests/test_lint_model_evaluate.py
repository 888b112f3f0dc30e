"""Static evaluation: what drgen resolves (literals, var/local lookups) and what stays unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint.evaluate import UNKNOWN, Scope
from drgen.lint.model import Expression, Value
from drgen.lint.project import build_project


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
        (expr('"${var.region}-b"'), UNKNOWN),
        (expr('lookup(var.regions, "dr")'), UNKNOWN),
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
