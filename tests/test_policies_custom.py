"""User policies: numeric, regex, any/all, referenced/referenced_by and not conditions, read
from YAML like a team writes them, and `drgen policies test DIR` on their own examples."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from drgen.cli import app
from drgen.errors import DrgenError
from drgen.lint.cli.policy_test import run_policies_test
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples" / "policies"

POLICY = """\
id: TEAM001
title: Condition under test
severity: medium
rationale: A rationale long enough for the schema.
remediation: A remediation long enough for the schema.
match:
  resource_types: [{types}]
  conditions:
{conditions}
examples:
  failing: |
    resource "aws_s3_bucket" "x" {{}}
  passing: |
    resource "aws_s3_bucket" "x" {{}}
"""


def _policy_dir(tmp_path: Path, conditions: str, types: str = "aws_backup_plan") -> Path:
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    indented = textwrap.indent(textwrap.dedent(conditions).strip("\n"), "    ")
    (folder / "TEAM001-condition-under-test.yaml").write_text(
        POLICY.format(types=types, conditions=indented), encoding="utf-8"
    )
    return folder


def _findings(tmp_path: Path, conditions: str, hcl: str, types: str = "aws_backup_plan",
              strict: bool = False) -> list[str]:  # fmt: skip
    policies = load_policies([_policy_dir(tmp_path, conditions, types)])
    code = tmp_path / "code"
    code.mkdir(exist_ok=True)
    (code / "main.tf").write_text(textwrap.dedent(hcl), encoding="utf-8")
    project, errors = build_project([code], use_cache=False)
    assert errors == []
    found = lint_project(project, policies, strict=strict, enabled={"TEAM001", "DR009"})
    return sorted(f"{f.rule_id} {f.resource}" for f in found)


PLANS = """\
variable "short" {
  default = 7
}

variable "unknown" {}

resource "aws_backup_plan" "literal" {
  name = "literal"
  rule {
    rule_name = "daily"
    lifecycle {
      delete_after = 14
    }
  }
  rule {
    rule_name = "scratch-hourly"
    lifecycle {
      delete_after = 1
    }
  }
}

resource "aws_backup_plan" "variable" {
  name = "variable"
  rule {
    rule_name = "weekly"
    lifecycle {
      delete_after = var.short
    }
  }
}

resource "aws_backup_plan" "long" {
  name = "long-lived"
  rule {
    rule_name = "monthly"
    lifecycle {
      delete_after = 400
    }
  }
}

resource "aws_backup_plan" "unknowable" {
  name = "unknowable"
  rule {
    rule_name = "yearly"
    lifecycle {
      delete_after = var.unknown
    }
  }
}
"""


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (
            """
            - any: rule
              conditions:
                - {attribute: lifecycle.delete_after, less_than: 35}
            """,
            ["aws_backup_plan.literal", "aws_backup_plan.variable"],
        ),
        (
            """
            - any: rule
              conditions:
                - {attribute: rule_name, not_matches: "^scratch-"}
                - {attribute: lifecycle.delete_after, less_than: 10}
            """,
            ["aws_backup_plan.variable"],  # literal's short rule is a scratch rule
        ),
        (
            """
            - all: rule
              conditions:
                - {attribute: lifecycle.delete_after, at_least: 14}
            """,
            ["aws_backup_plan.long"],
        ),
        (
            """
            - {attribute: name, matches: "^l"}
            - not:
                - {attribute: name, equals: literal}
            """,
            ["aws_backup_plan.long"],
        ),
        (
            """
            - all: copy_action
              conditions:
                - {attribute: destination_vault_arn, present: true}
            """,
            [],  # no such blocks: `all` needs at least one
        ),
        (
            """
            - any: rule
              conditions:
                - {attribute: lifecycle.delete_after, greater_than: 100}
                - {attribute: lifecycle.delete_after, at_most: 400}
            """,
            ["aws_backup_plan.long"],
        ),
    ],
)
def test_conditions(tmp_path: Path, conditions: str, expected: list[str]) -> None:
    assert _findings(tmp_path, conditions, PLANS) == [f"TEAM001 {a}" for a in expected]


def test_a_value_drgen_cannot_resolve_is_unknown_not_a_finding(tmp_path: Path) -> None:
    conditions = """
        - {attribute: name, equals: unknowable}
        - any: rule
          conditions:
            - {attribute: lifecycle.delete_after, less_than: 35}
        """
    assert _findings(tmp_path, conditions, PLANS) == []
    assert _findings(tmp_path, conditions, PLANS, strict=True) == [
        "DR009 aws_backup_plan.unknowable"
    ]


REPLICATION = """\
resource "aws_s3_bucket" "source" {
  bucket = "acme-orders"
}

resource "aws_s3_bucket" "versioned" {
  bucket = "acme-orders-copy"
}

resource "aws_s3_bucket_versioning" "versioned" {
  bucket = aws_s3_bucket.versioned.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "plain" {
  bucket = "acme-orders-plain"
}

resource "aws_s3_bucket_replication_configuration" "to_versioned" {
  bucket = aws_s3_bucket.source.id
  rule {
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.versioned.arn
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "to_plain_by_arn" {
  bucket = aws_s3_bucket.source.id
  rule {
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::acme-orders-plain"
    }
  }
}
"""


def test_referenced_and_referenced_by_follow_references_and_literal_arns(
    tmp_path: Path,
) -> None:
    policy = next(EXAMPLES.glob("ACME011-*.yaml")).read_text(encoding="utf-8")
    start = policy.index("  conditions:\n") + len("  conditions:\n")
    conditions = textwrap.dedent(policy[start : policy.index("examples:")])
    found = _findings(tmp_path, conditions, REPLICATION, "aws_s3_bucket_replication_configuration")
    assert found == ["TEAM001 aws_s3_bucket_replication_configuration.to_plain_by_arn"]


def test_a_bad_regex_is_a_located_error(tmp_path: Path) -> None:
    folder = _policy_dir(tmp_path, '- {attribute: name, matches: "(unclosed"}')
    with pytest.raises(DrgenError) as caught:
        load_policies([folder])
    (problem,) = caught.value.problems
    assert "not a valid regular expression" in problem.message
    where = (problem.json_path, problem.line, problem.column)
    assert where == ("$.match.conditions[0].matches", 9, 34)


def test_the_worked_examples_pass_their_own_tests(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_policies_test(EXAMPLES) == 0
    out = capsys.readouterr().out
    assert out.count("ok   ") == 4 and out.endswith("2 policies, 4 examples, 0 failed\n")


def test_policies_test_reports_an_example_that_misbehaves(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    folder = tmp_path / "team"
    shutil.copytree(EXAMPLES, folder)
    broken = next(folder.glob("ACME010-*.yaml"))
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("delete_after = 35", "delete_after = 3"), encoding="utf-8")
    result = CliRunner().invoke(app, ["policies", "test", str(folder)])
    assert result.exit_code == 1
    assert "FAIL ACME010 passing example: unexpected finding: " in result.stdout
    assert "1 failed" in result.stdout


def test_policies_test_needs_policies(tmp_path: Path) -> None:
    with pytest.raises(DrgenError, match="no policy files here"):
        run_policies_test(tmp_path)
