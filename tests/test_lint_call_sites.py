"""Module call sites: a finding caused by a caller's argument names the ``module`` block that
passes it (JSON ``call_site``, SARIF relatedLocations, text, GitHub), and a module line that
several roots report is one GitHub annotation and one SARIF result listing the roots."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from drgen.findings import Finding, LintResult
from drgen.lint.engine.call_sites import call_site
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.model.roots import Project, Root
from drgen.lint.topology.project import build_project
from drgen.report import ReportInput, renderer

DB_MODULE = """\
variable "multi_az" {
  default = false
}

variable "name" {}

locals {
  zones = var.multi_az
}

resource "aws_db_instance" "main" {
  identifier              = var.name
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  backup_retention_period = 7
  multi_az                = local.zones
}
"""

APP_MODULE = """\
variable "ha" {}

module "db" {
  source   = "../db"
  name     = "app"
  multi_az = var.ha
}

module "fixed" {
  source   = "../db"
  name     = "fixed"
  multi_az = false
}
"""

ROOT = """\
provider "aws" {
  region = "eu-west-1"
}

module "orders" {
  source   = "./modules/db"
  name     = "orders"
  multi_az = false
}

module "defaults" {
  source = "./modules/db"
  name   = "defaults"
}

module "app" {
  source = "./modules/app"
  ha     = false
}
"""

SHARED_ROOT = """\
provider "aws" {
  region = "eu-west-1"
}

module "db" {
  source   = "../../modules/db"
  name     = "shared"
  multi_az = false
}
"""


def _findings(folder: Path) -> list[Finding]:
    project, errors = build_project([folder], use_cache=False)
    assert errors == []
    return lint_project(project, [p for p in load_policies() if p.id == "DR007"])


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for folder, text in (
        ("modules/db", DB_MODULE),
        ("modules/app", APP_MODULE),
        (".", ROOT),
    ):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "main.tf").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_finding_names_the_module_call_that_passes_the_value(tree: Path) -> None:
    sites = {f.resource: (f.file, f.line, f.call_site) for f in _findings(tree)}
    assert sites == {
        # the root's own module block, through the module's local
        "module.orders.aws_db_instance.main": ("modules/db/main.tf", 17, "main.tf:5"),
        # the variable's default: no caller sets it
        "module.defaults.aws_db_instance.main": ("modules/db/main.tf", 17, ""),
        # through a module that passes its own variable on: the root's block
        "module.app.module.db.aws_db_instance.main": ("modules/db/main.tf", 17, "main.tf:16"),
        # a literal in the intermediate module: its block passes the value
        "module.app.module.fixed.aws_db_instance.main": (
            "modules/db/main.tf",
            17,
            "modules/app/main.tf:9",
        ),
    }


def test_a_finding_at_the_block_line_names_no_call_site(tree: Path) -> None:
    project, _ = build_project([tree], use_cache=False)
    found = lint_project(project, [p for p in load_policies() if p.id == "DR003"])
    assert found and all(f.line == 11 and f.call_site == "" for f in found)


def _shared(tmp_path: Path) -> ReportInput:
    (tmp_path / "modules" / "db").mkdir(parents=True)
    (tmp_path / "modules" / "db" / "main.tf").write_text(DB_MODULE, encoding="utf-8")
    for env in ("prod", "stage"):
        (tmp_path / "envs" / env).mkdir(parents=True)
        (tmp_path / "envs" / env / "main.tf").write_text(SHARED_ROOT, encoding="utf-8")
    findings = _findings(tmp_path)
    assert [f.root for f in findings] == ["envs/prod", "envs/stage"]
    result = LintResult(findings=findings, files_scanned=3, roots=["envs/prod", "envs/stage"])
    return ReportInput(result=result, scan_base=tmp_path, repo_prefix="infra")


def test_one_github_annotation_per_location_naming_roots_and_calls(tmp_path: Path) -> None:
    [annotation] = renderer("github")(_shared(tmp_path)).splitlines()
    assert annotation.startswith("::warning file=infra/modules/db/main.tf,line=17,title=DR007::")
    assert annotation.endswith(
        "[roots: envs/prod, envs/stage] (set by the module call at infra/envs/prod/main.tf:5 "
        "(root envs/prod), infra/envs/stage/main.tf:5 (root envs/stage))"
    )


def test_one_sarif_result_per_location_with_the_calls_as_related_locations(
    tmp_path: Path,
) -> None:
    [result] = json.loads(renderer("sarif")(_shared(tmp_path)))["runs"][0]["results"]
    assert result["properties"]["roots"] == ["envs/prod", "envs/stage"]
    related = [
        (r["id"], r["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
        for r in result["relatedLocations"]
    ]
    assert related == [
        (
            0,
            "infra/envs/prod/main.tf",
            "module call in root envs/prod that passes the value at fault",
        ),
        (
            1,
            "infra/envs/stage/main.tf",
            "module call in root envs/stage that passes the value at fault",
        ),
    ]
    assert result["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 5}


def test_text_and_json_show_the_call_site(tmp_path: Path) -> None:
    report = _shared(tmp_path)
    text = renderer("text")(report)
    assert "[set by the module call at envs/prod/main.tf:5] [root envs/prod]" in text
    markdown = renderer("markdown")(report)
    assert "(set by the module call at infra/envs/stage/main.tf:5)" in markdown
    document = json.loads(renderer("json")(report))
    assert [f["call_site"] for f in document["findings"]] == [
        "envs/prod/main.tf:5",
        "envs/stage/main.tf:5",
    ]


def test_one_gitlab_issue_per_location(tmp_path: Path) -> None:
    [issue] = json.loads(renderer("gitlab")(_shared(tmp_path)))
    assert issue["location"] == {"path": "infra/modules/db/main.tf", "lines": {"begin": 17}}
    assert issue["description"].endswith("[roots: envs/prod, envs/stage]")


@pytest.mark.parametrize("fmt", ["github", "gitlab", "sarif"])
def test_one_location_renders_the_same_whatever_the_order_of_its_roots(
    tmp_path: Path, fmt: str
) -> None:
    report = _shared(tmp_path)
    reversed_roots = replace(
        report, result=replace(report.result, findings=report.result.findings[::-1])
    )
    assert renderer(fmt)(reversed_roots) == renderer(fmt)(report)


TABLE_MODULE = """\
variable "replicas" {
  default = []
}

variable "tables" {
  default = {}
}

resource "aws_dynamodb_table" "this" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  dynamic "replica" {
    for_each = var.replicas
    content {
      region_name            = replica.value.region
      point_in_time_recovery = try(replica.value.pitr, false)
    }
  }
  tags = {
    "drgen:write-mode" = "write-global"
  }
}

resource "aws_dynamodb_table" "each" {
  for_each = var.tables
  name     = each.key
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  dynamic "replica" {
    for_each = var.replicas
    iterator = r
    content {
      region_name = r.value.region
    }
  }
}
"""

TABLE_ROOT = """\
provider "aws" {
  region = "eu-west-1"
}

module "tables" {
  source   = "./modules/table"
  tables   = {orders = {pitr = true}}
  replicas = [{region = "eu-central-1", pitr = false}]
}
"""


def _tables(tmp_path: Path) -> tuple[Project, Root]:
    (tmp_path / "modules" / "table").mkdir(parents=True)
    (tmp_path / "modules" / "table" / "main.tf").write_text(TABLE_MODULE, encoding="utf-8")
    (tmp_path / "main.tf").write_text(TABLE_ROOT, encoding="utf-8")
    project, errors = build_project([tmp_path], use_cache=False)
    assert errors == []
    return project, project.roots[0]


def test_a_dynamic_block_leads_to_the_collection_the_caller_passes(tmp_path: Path) -> None:
    project, _ = _tables(tmp_path)
    [finding] = lint_project(project, [p for p in load_policies() if p.id == "DR008"])
    assert "eu-central-1" in finding.message
    assert (finding.line, finding.call_site) == (24, "main.tf:5")  # the dynamic block


def test_each_and_named_iterators_lead_to_their_collections(tmp_path: Path) -> None:
    _, root = _tables(tmp_path)
    table = root.by_address("module.tables.aws_dynamodb_table.each")
    assert table is not None
    assert call_site(root, table, 36) == "main.tf:5"  # name = each.key
    assert call_site(root, table, 46) == "main.tf:5"  # region_name = r.value.region
    assert call_site(root, table, 37) == ""  # hash_key = "id"
