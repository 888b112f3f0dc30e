"""Every documentation link drgen's reports emit leads to a page committed in docs/policies/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drgen.findings import Finding, LintResult
from drgen.lint.engine.catalog import Policy, builtin_policy_ids, load_policies
from drgen.report import FORMATS, ReportInput, renderer
from drgen.report.model import POLICY_DOCS_URL

REPOSITORY = Path(__file__).parent.parent
BLOB_PREFIX = "https://github.com/drgen-dev/drgen/blob/main/"
USER_POLICY = """\
id: ACME001
title: Database without deletion protection
severity: low
match:
  resource_types: [aws_db_instance]
  conditions:
    - {attribute: deletion_protection, not_equals: true}
rationale: A database one mistaken destroy away from gone.
remediation: Set deletion_protection = true.
examples:
  failing: |
    resource "aws_db_instance" "a" {}
  passing: |
    resource "aws_db_instance" "a" {
      deletion_protection = true
    }
"""


def _every_policy_report(policies: list[Policy]) -> ReportInput:
    findings = [
        Finding(p.id, p.severity, f"aws_s3_bucket.b{i}: {p.title}", "main.tf", i + 1, f"b{i}")
        for i, p in enumerate(policies)
    ]
    return ReportInput(result=LintResult(findings=findings, files_scanned=1), rules=policies)


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> list[Policy]:
    user_dir = tmp_path_factory.mktemp("user-policies")
    (user_dir / "ACME001-database-without-deletion-protection.yaml").write_text(
        USER_POLICY, encoding="utf-8"
    )
    return load_policies([user_dir])


def test_docs_url_points_into_this_repository() -> None:
    assert POLICY_DOCS_URL.startswith(BLOB_PREFIX + "docs/policies/")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_emitted_docs_link_names_a_committed_page(fmt: str, policies: list[Policy]) -> None:
    text = renderer(fmt)(_every_policy_report(policies))
    links = set(re.findall(re.escape(BLOB_PREFIX) + r"([^\s\")\]]+)", text))
    missing = [path for path in sorted(links) if not (REPOSITORY / path).is_file()]
    assert missing == []


def test_sarif_links_every_builtin_rule_and_no_user_rule(policies: list[Policy]) -> None:
    run = json.loads(renderer("sarif")(_every_policy_report(policies)))["runs"][0]
    links = {rule["id"]: rule.get("helpUri") for rule in run["tool"]["driver"]["rules"]}
    assert links["ACME001"] is None
    for rule_id in builtin_policy_ids():
        assert links[rule_id] == f"{BLOB_PREFIX}docs/policies/{rule_id}.md"
        assert (REPOSITORY / "docs" / "policies" / f"{rule_id}.md").is_file()
    assert run["tool"]["driver"]["informationUri"] == "https://github.com/drgen-dev/drgen"


def test_builtin_ids_are_the_loaded_builtin_policies(policies: list[Policy]) -> None:
    assert builtin_policy_ids() == {p.id for p in policies if p.builtin}
