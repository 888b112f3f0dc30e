"""Cross-root topology: shapes of partly known names, and which roots link into one stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint.evaluation.scope import Scope
from drgen.lint.model.roots import Expression, Project
from drgen.lint.model.values import Shaped
from drgen.lint.topology.project import build_project

ACCOUNT = "data.aws_caller_identity.current.account_id"


def _scope() -> Scope:
    return Scope(
        {"name": "shop", "open": Shaped("${account}")},
        {"account": Expression(ACCOUNT), "stem": Expression('"${var.name}-dr"')},
    )


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        (ACCOUNT, "${account}"),
        ("data.aws_partition.p.partition", "${partition}"),
        ('"${local.stem}-${local.account}"', "shop-dr-${account}"),
        ('"arn:${data.aws_partition.p.partition}:s3:::${var.name}-${var.open}"',
         "arn:${partition}:s3:::shop-${account}"),
    ],
)  # fmt: skip
def test_a_name_known_but_for_the_account_has_a_shape(source: str, shape: str) -> None:
    resolved = _scope().resolve(Expression(source))
    assert isinstance(resolved, Shaped)
    assert resolved.shape == shape


@pytest.mark.parametrize(
    "source",
    ['"${var.name}-${aws_s3_bucket.x.id}"', "aws_s3_bucket.x.arn", '"${var.missing}-x"', "var.x"],
)
def test_any_other_unknown_part_leaves_no_shape(source: str) -> None:
    assert not isinstance(_scope().resolve(Expression(source)), Shaped)


def _write(base: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project, errors = build_project([base], use_cache=False)
    assert errors == []
    return project


def _peers(project: Project) -> dict[str, list[str]]:
    return {r.directory: [p.directory for p in r.peers] for r in project.roots}


def test_a_remote_state_of_a_scanned_s3_backend_links_the_roots(tmp_path: Path) -> None:
    project = _write(
        tmp_path,
        {
            "primary/main.tf": 'terraform {\n  backend "s3" {\n    bucket = "state"\n'
            '    key    = "primary.tfstate"\n  }\n}\n',
            "recovery/main.tf": 'data "terraform_remote_state" "p" {\n  backend = "s3"\n'
            '  config = {\n    bucket = "state"\n    key    = "primary.tfstate"\n  }\n}\n',
            "other/main.tf": 'data "terraform_remote_state" "p" {\n  backend = "s3"\n'
            '  config = {\n    bucket = "state"\n    key    = "other.tfstate"\n  }\n}\n',
        },
    )
    assert _peers(project) == {"other": [], "primary": ["recovery"], "recovery": ["primary"]}


_READS = (
    'variable "state_bucket" {{\n  type = string\n}}\n'
    'data "terraform_remote_state" "p" {{\n  backend = "s3"\n'
    '  config = {{\n    bucket = var.state_bucket\n    key    = "{key}"\n  }}\n}}\n'
)


def test_a_remote_state_whose_bucket_is_a_variable_links_by_its_key(tmp_path: Path) -> None:
    project = _write(
        tmp_path,
        {
            "primary/main.tf": 'terraform {\n  backend "s3" {\n    bucket = "state"\n'
            '    key    = "primary.tfstate"\n  }\n}\n',
            "recovery/main.tf": _READS.format(key="primary.tfstate"),
            "other/main.tf": _READS.format(key="elsewhere.tfstate"),
        },
    )
    assert _peers(project) == {"other": [], "primary": ["recovery"], "recovery": ["primary"]}


def test_a_partial_backend_is_read_by_a_key_naming_its_folder(tmp_path: Path) -> None:
    partial = 'terraform {\n  backend "s3" {}\n}\n'
    project = _write(
        tmp_path,
        {
            "env/primary/data/main.tf": partial,
            "env/dr/data/main.tf": partial
            + _READS.format(key="env/primary/data/terraform.tfstate"),
            "env/dr/dns/main.tf": partial + _READS.format(key="prod/env/dr/data/terraform.tfstate"),
            "env/dr/web/main.tf": partial + _READS.format(key="data/terraform.tfstate"),
        },
    )
    assert _peers(project) == {
        "env/dr/data": ["env/dr/dns", "env/primary/data"],
        "env/dr/dns": ["env/dr/data", "env/primary/data"],
        "env/dr/web": [],  # "data/" ends both data folders' paths: ambiguous, nothing linked
        "env/primary/data": ["env/dr/data", "env/dr/dns"],
    }


def test_declaring_one_name_twice_tags_and_default_vaults_link_nothing(tmp_path: Path) -> None:
    project = _write(
        tmp_path,
        {
            "a/main.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = "logs"\n}\n'
            'resource "aws_backup_vault" "d" {\n  name = "Default"\n}\n',
            "b/main.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = "logs"\n'
            '  tags = { Source = "logs" }\n}\n'
            'resource "aws_backup_plan" "p" {\n  name = "p"\n  rule {\n    rule_name = "r"\n'
            '    target_vault_name = "Default"\n  }\n}\n',
        },
    )
    assert _peers(project) == {"a": [], "b": []}


def test_an_arn_naming_another_roots_resource_links_the_roots(tmp_path: Path) -> None:
    project = _write(
        tmp_path,
        {
            "a/main.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = "logs"\n}\n',
            "c/main.tf": 'data "aws_iam_policy_document" "p" {\n  statement {\n'
            '    actions   = ["s3:GetObject"]\n    resources = ["arn:aws:s3:::logs/*"]\n  }\n}\n',
        },
    )
    assert _peers(project) == {"a": ["c"], "c": ["a"]}


def test_a_load_balancer_dns_name_links_the_root_declaring_it(tmp_path: Path) -> None:
    record = (
        'resource "aws_route53_record" "r" {\n  zone_id = "Z0123456789ABCDEFGHIJ"\n'
        '  name = "app.example.com"\n  type = "A"\n  alias {\n'
        '    name = "dualstack.Shop-DR-1234567890.us-west-2.elb.amazonaws.com"\n'
        '    zone_id = "Z1H1FL5HABSF5"\n    evaluate_target_health = true\n  }\n}\n'
    )
    balancer = (
        'provider "aws" {\n  region = "%s"\n}\nresource "aws_lb" "x" {\n  name = "shop-dr"\n}\n'
    )
    project = _write(
        tmp_path,
        {
            "dns/main.tf": record,
            "recovery/main.tf": balancer % "us-west-2",
            "elsewhere/main.tf": balancer % "eu-west-1",  # same name, another region
        },
    )
    assert _peers(project) == {"dns": ["recovery"], "elsewhere": [], "recovery": ["dns"]}
