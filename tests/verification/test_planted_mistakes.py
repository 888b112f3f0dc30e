"""The suite itself: each check must fail on a mistake planted in a tree that otherwise passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .checkov_runner import CheckovCounts, run_checkov
from .hcl_tools import HclResult, run_hcl_tools
from .pipeline import as_hcl2json_literal, check_schema, default_tags, write_tree
from .round_trip import round_trip_mismatch
from .terraform_fmt import fmt_rewrites
from .toolchain import require_checkov, require_node_tools

GOOD = """\
provider "aws" {
  alias  = "secondary"
  region = "us-west-2"
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:a key policy's "*" resource means this key only
  #checkov:skip=CKV_AWS_111:a key policy's "*" resource means this key only
  #checkov:skip=CKV_AWS_356:a key policy's "*" resource means this key only
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "data" {
  provider            = aws.secondary
  description         = "verification suite key"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
  tags = {
    note = "$${aws_kms_key.elsewhere.arn} is literal text, not a reference"
  }
  lifecycle {
    prevent_destroy = true
    ignore_changes  = [description, tags["note"]]
  }
}

resource "aws_kms_alias" "data" {
  provider      = aws.secondary
  region        = "us-west-2"
  name          = "alias/verification-suite"
  target_key_id = aws_kms_key.data.key_id
}

output "key_arn" {
  value = aws_kms_key.data.arn
}
"""
GOOD_RESOURCES = frozenset({"aws_kms_key.data", "aws_kms_alias.data"})
UNENCRYPTED_BUCKET = """\
resource "aws_s3_bucket" "logs" {
  bucket = "verification-suite-logs"
}
"""


def _replace(old: str, new: str) -> Callable[[str], str]:
    def plant(text: str) -> str:
        assert old in text, f"cannot plant: {old!r} is not in the good tree"
        return text.replace(old, new, 1)

    return plant


# name -> (how to plant the mistake into GOOD, text the suite must report)
SCHEMA_MISTAKES = {
    "misspelt-argument": (
        _replace("enable_key_rotation =", "enable_key_rotaton ="),
        "unknown argument or block 'enable_key_rotaton' (did you mean 'enable_key_rotation'?)",
    ),
    "missing-required-argument": (
        _replace("  target_key_id = aws_kms_key.data.key_id\n", ""),
        "aws_kms_alias.data: required argument 'target_key_id' is not set",
    ),
    "missing-required-nested-argument": (
        _replace('    principals {\n      type        = "AWS"\n', "    principals {\n"),
        "statement: principals: required argument 'type' is not set",
    ),
    "unknown-resource-type": (
        _replace('resource "aws_kms_alias"', 'resource "aws_kms_aliases"'),
        "has no resource type 'aws_kms_aliases' (did you mean 'aws_kms_alias'?)",
    ),
    "unknown-nested-block": (
        _replace("    principals {", "    principal {"),
        "statement: unknown argument or block 'principal' (did you mean 'principals'?)",
    ),
    "bad-reference-attribute": (
        _replace("aws_kms_key.data.key_id", "aws_kms_key.data.key_identifier"),
        "the provider exports no attribute 'key_identifier'",
    ),
    "reference-to-undeclared-resource": (
        _replace("value = aws_kms_key.data.arn", "value = aws_kms_key.backup.arn"),
        "references aws_kms_key.backup, which this module does not declare",
    ),
    "unconfigured-provider-alias": (
        _replace("provider      = aws.secondary", "provider      = aws.dr"),
        "aws_kms_alias.data: provider aws.dr is not configured in this module",
    ),
    "undeclared-variable": (
        _replace('region = "us-west-2"', "region = var.secondary_region"),
        "main.tf: var.secondary_region is not declared in this module",
    ),
    "region-on-a-global-type": (
        _replace(
            'data "aws_iam_policy_document" "key" {\n',
            'data "aws_iam_policy_document" "key" {\n  region = "us-west-2"\n',
        ),
        "data.aws_iam_policy_document.key: unknown argument or block 'region'",
    ),
    "unknown-lifecycle-argument": (
        _replace("prevent_destroy = true", "prevent_deletion = true"),
        "aws_kms_key.data: lifecycle has no 'prevent_deletion'",
    ),
    "ignore-changes-of-an-unknown-attribute": (
        _replace("[description,", "[descripton,"),
        "aws_kms_key.data: ignore_changes names unknown 'descripton' (did you mean 'description'?)",
    ),
    "count-and-for-each": (
        _replace(
            '  name          = "alias/verification-suite"\n',
            '  name          = "alias/verification-suite"\n  count = 1\n  for_each = {}\n',
        ),
        "aws_kms_alias.data: count and for_each cannot both be set",
    ),
    "block-written-as-attribute": (
        _replace(
            'resource "aws_kms_key" "data" {\n',
            'resource "aws_kms_key" "data" {\n  timeouts = { create = "5m" }\n',
        ),
        "timeouts: is a nested block, write it as a block",
    ),
}


TAGGED = """\
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      "escaped" = "$${literal} 100%%{ x }"
      "live"    = "${var.literal}"
    }
  }
}
"""


@pytest.fixture(scope="module")
def planted_hcl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HclResult]:
    node = require_node_tools()
    base = tmp_path_factory.mktemp("planted-hcl")
    trees = {
        "good": GOOD,
        "tagged": TAGGED,
        "unformatted": GOOD.replace("  name          =", "  name =", 1),
    }
    trees["unparseable"] = GOOD.replace('output "key_arn" {', 'output "key_arn"', 1)
    trees |= {name: plant(GOOD) for name, (plant, _) in SCHEMA_MISTAKES.items()}
    paths = {name: write_tree({"main.tf": text}, base / name)[0] for name, text in trees.items()}
    results = run_hcl_tools(node, paths.values())
    return {name: results[path.resolve()] for name, path in paths.items()}


def _schema_problems(result: HclResult) -> list[str]:
    assert result.json is not None, result.parse_error
    return check_schema({"main.tf": result.json}).problems


def test_the_good_tree_passes_every_check(planted_hcl: dict[str, HclResult]) -> None:
    good = planted_hcl["good"]
    assert good.parse_error is None
    assert good.is_formatted, good.fmt_diff("main.tf")
    report = check_schema({"main.tf": good.json or {}})
    assert report.problems == []
    assert (report.resources, report.data_sources) == (2, 2)
    assert round_trip_mismatch({"main.tf": GOOD}, GOOD_RESOURCES) is None


@pytest.mark.parametrize("mistake", sorted(SCHEMA_MISTAKES))
def test_schema_check_reports_the_planted_mistake(
    mistake: str, planted_hcl: dict[str, HclResult]
) -> None:
    problems = _schema_problems(planted_hcl[mistake])
    expected = SCHEMA_MISTAKES[mistake][1]
    assert any(expected in problem for problem in problems), problems
    assert len(problems) == 1, problems  # and nothing else: no cascade of false reports


def test_fmt_check_reports_unformatted_output(planted_hcl: dict[str, HclResult]) -> None:
    result = planted_hcl["unformatted"]
    assert result.parse_error is None
    assert not result.is_formatted
    diff = result.fmt_diff("main.tf")
    assert '-  name = "alias/verification-suite"\n' in diff
    assert '+  name          = "alias/verification-suite"\n' in diff


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "value = aws_kms_key.data.arn",
            'value = "${aws_kms_key.data.arn}"',
            'output "key_arn": value = "${aws_kms_key.data.arn}" would be unwrapped',
        ),
        (
            'resource "aws_kms_alias" "data"',
            'resource aws_kms_alias "data"',
            "resource aws_kms_alias",
        ),
    ],
)
def test_fmt_check_reports_what_only_terraform_fmt_rewrites(
    old: str, new: str, expected: str
) -> None:
    assert fmt_rewrites(GOOD) == []
    rewrites = fmt_rewrites(_replace(old, new)(GOOD))
    assert len(rewrites) == 1 and rewrites[0].startswith(expected), rewrites


def test_fmt_check_knows_variable_types_and_partial_templates() -> None:
    text = (
        'variable "ids" {\n  type = list\n}\n\nvariable "name" {\n  type = "string"\n}\n\n'
        'output "x" {\n  value = "${var.name}-${var.ids[0]}"\n}\n'
    )
    assert fmt_rewrites(text) == [
        'variable "ids": type = list would be normalised',
        'variable "name": type = "string" would be normalised',
    ]


def test_parse_check_reports_invalid_hcl(planted_hcl: dict[str, HclResult]) -> None:
    result = planted_hcl["unparseable"]
    assert result.json is None
    assert result.parse_error is not None and "main.tf" in result.parse_error


def test_round_trip_reports_a_resource_lost_by_a_template() -> None:
    lost = GOOD.replace('resource "aws_kms_alias" "data"', 'data "aws_kms_alias" "data"', 1)
    mismatch = round_trip_mismatch({"main.tf": lost}, GOOD_RESOURCES)
    assert mismatch is not None and "planned but not declared: ['aws_kms_alias.data']" in mismatch
    extra = round_trip_mismatch({"main.tf": GOOD + UNENCRYPTED_BUCKET}, GOOD_RESOURCES)
    assert extra is not None and "declared but not planned: ['aws_s3_bucket.logs']" in extra


def test_round_trip_follows_local_modules() -> None:
    files = {
        "main.tf": 'module "dr" {\n  source = "./modules/dr"\n}\n',
        "modules/dr/main.tf": GOOD,
    }
    expected = frozenset(f"module.dr.{address}" for address in GOOD_RESOURCES)
    assert round_trip_mismatch(files, expected) is None


@pytest.fixture(scope="module")
def planted_checkov(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckovCounts]:
    checkov = require_checkov()
    base = tmp_path_factory.mktemp("planted-checkov")
    bare_skip = GOOD.replace(':a key policy\'s "*" resource means this key only', "", 1)
    trees = {"good": GOOD, "unencrypted-bucket": GOOD + UNENCRYPTED_BUCKET, "bare-skip": bare_skip}
    for name, text in trees.items():
        write_tree({"main.tf": text}, base / name)
    return run_checkov(checkov, base)


def test_checkov_passes_the_good_tree_with_its_justified_skips(
    planted_checkov: dict[str, CheckovCounts],
) -> None:
    good = planted_checkov["good"]
    assert good.failures == [] and good.unjustified_skips == []
    assert good.passed > 0 and good.skipped == 3


def test_checkov_reports_an_unencrypted_bucket(planted_checkov: dict[str, CheckovCounts]) -> None:
    failures = planted_checkov["unencrypted-bucket"].failures
    assert any(f.startswith("CKV_AWS_145 aws_s3_bucket.logs") for f in failures), failures


def test_checkov_skip_without_a_reason_is_unjustified(
    planted_checkov: dict[str, CheckovCounts],
) -> None:
    bare = planted_checkov["bare-skip"]
    line = GOOD.splitlines().index('data "aws_iam_policy_document" "key" {') + 1
    assert bare.unjustified_skips == [f"CKV_AWS_109 aws_iam_policy_document.key (main.tf:{line})"]


def test_references_to_counted_resources_need_an_index(
    planted_hcl: dict[str, HclResult],
) -> None:
    good = planted_hcl["good"].json
    assert good is not None
    key = good["resource"]["aws_kms_key"]["data"][0]
    counted = {**good, "resource": {**good["resource"], "aws_kms_key": {"data": [{**key}]}}}
    counted["resource"]["aws_kms_key"]["data"][0]["count"] = 2
    counted["output"] = {
        "key_arn": [{"value": "${aws_kms_key.data.arn}"}],
        "all_arns": [{"value": "${[for k in aws_kms_key.data : k.arn]}"}],
        "first_arn": [{"value": "${aws_kms_key.data[0].arn}"}],
    }
    problems = check_schema({"main.tf": counted}).problems
    assert problems == [
        "main.tf: aws_kms_alias.data: aws_kms_key.data has count/for_each; index it before .key_id",
        "main.tf: output: aws_kms_key.data has count/for_each; index it before .arn",
    ]


def test_tag_check_tells_a_literal_from_a_live_interpolation(
    planted_hcl: dict[str, HclResult],
) -> None:
    tags = default_tags({"main.tf": planted_hcl["tagged"].json or {}}, ".")
    assert tags["escaped"] == as_hcl2json_literal("${literal} 100%{ x }")
    assert tags["live"] != as_hcl2json_literal("${var.literal}")  # rendered without escaping


def test_dynamic_blocks_are_checked_like_blocks() -> None:
    def policy(dynamic: dict[str, Any]) -> dict[str, Any]:
        body = {"dynamic": dynamic}
        return {"data": {"aws_iam_policy_document": {"key": [body]}}}

    good: dict[str, Any] = {
        "statement": [{"for_each": "${var.x}", "content": [{"actions": ["s3:Get*"]}]}]
    }
    misspelt: dict[str, Any] = {
        "statement": [{"for_each": "${var.x}", "content": [{"actoins": ["s3:Get*"]}]}]
    }
    unknown: dict[str, Any] = {"statment": [{"for_each": "${var.x}", "content": [{}]}]}
    variable: dict[str, Any] = {"variable": {"x": [{}]}}
    assert check_schema({"main.tf": policy(good) | variable}).problems == []
    assert check_schema({"main.tf": policy(misspelt) | variable}).problems == [
        "main.tf: data.aws_iam_policy_document.key: dynamic statement: "
        "unknown argument or block 'actoins' (did you mean 'actions'?)"
    ]
    assert check_schema({"main.tf": policy(unknown) | variable}).problems == [
        "main.tf: data.aws_iam_policy_document.key: dynamic statment: "
        "'statment' is not a nested block here (did you mean 'statement'?)"
    ]
