"""``drgen:ignore`` comments: above or inside a block, several ids, until=, stray ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from drgen.lint.model.roots import Project, Suppression
from drgen.lint.topology.project import build_project
from tests.lint_model.support import build, resource_at


@pytest.fixture(scope="module")
def project() -> Project:
    built, errors = build("suppressions")
    assert errors == []
    return built


def suppressions_of(project: Project, address: str) -> tuple[Suppression, ...]:
    (root,) = project.roots
    return resource_at(root, address).suppressions


def test_comment_directly_above_a_block_attaches(project: Project) -> None:
    assert suppressions_of(project, "aws_s3_bucket.logs") == (
        Suppression(("DR001",), "logs are rebuilt from the source systems", "main.tf", 5),
    )


def test_a_run_of_comments_above_and_one_inside_all_attach(project: Project) -> None:
    found = suppressions_of(project, "aws_dynamodb_table.sessions")
    assert [(s.line, s.rule_ids) for s in found] == [
        (11, ("DR010", "DR001")),
        (12, ("DR004",)),
        (15, ("DR008",)),
    ]


def test_until_date_and_slash_comment(project: Project) -> None:
    first = suppressions_of(project, "aws_dynamodb_table.sessions")[0]
    assert (first.until, first.reason, first.problem) == (
        date(2027, 3, 31),
        "migration to write-origin in Q1",
        "",
    )


def test_missing_reason_is_empty(project: Project) -> None:
    assert suppressions_of(project, "aws_dynamodb_table.sessions")[1].reason == ""


def test_unparsable_until_keeps_raw_text_and_explains(project: Project) -> None:
    bad = suppressions_of(project, "aws_dynamodb_table.sessions")[2]
    assert bad.until is None
    assert bad.reason == "until=2027-02-30 typo in the date"
    assert "2027-02-30" in bad.problem


def test_trailing_comment_inside_a_block_attaches(project: Project) -> None:
    (found,) = suppressions_of(project, "aws_s3_bucket.plain")
    assert (found.rule_ids, found.reason) == (("DR002",), "trailing comment inside the block")


def test_comment_separated_by_a_blank_line_attaches_to_nothing(project: Project) -> None:
    assert suppressions_of(project, "aws_s3_bucket.separate") == ()
    assert project.unattached_suppressions == [
        Suppression(
            ("DR001",), "separated by a blank line, so it attaches to nothing", "main.tf", 22
        )
    ]


def test_suppression_on_a_resource_that_does_not_exist_is_not_stray(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "# drgen:ignore[DR001] only created in prod\n"
        'resource "aws_s3_bucket" "prod_only" {\n  count = 0\n}\n'
    )
    project, _ = build_project([tmp_path], use_cache=False)
    assert project.roots[0].resources == []
    assert project.unattached_suppressions == []


@pytest.mark.parametrize(
    "comment",
    [
        "# drgen:ignore[DR001] until=2027-03-31 logs are rebuilt",
        "# drgen:ignore[DR001] logs are rebuilt until=2027-03-31",
        "# drgen:ignore[DR001] logs until=2027-03-31 are rebuilt",
    ],
)
def test_until_is_read_anywhere_in_the_comment(comment: str) -> None:
    from drgen.lint.frontends.suppressions import scan

    ((found,), _) = scan(comment + "\n")
    assert (found.until, found.reason, found.problem) == (date(2027, 3, 31), "logs are rebuilt", "")


def test_a_word_ending_in_until_is_not_an_expiry() -> None:
    from drgen.lint.frontends.suppressions import scan

    ((found,), _) = scan("# drgen:ignore[DR001] wait-until=later is prose\n")
    assert (found.until, found.reason) == (None, "wait-until=later is prose")
