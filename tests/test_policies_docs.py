"""docs/policies/ is generated from the policy YAML by the code behind `drgen policies show`.

`pytest --update-goldens` rewrites the pages; otherwise each committed page must equal what
drgen generates today, so a policy edited without regenerating its page fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.errors import ExitCode
from drgen.lint.cli.policy_command import run_policies_show
from drgen.lint.cli.policy_pages import PageFormat, catalog_index, policy_page
from drgen.lint.engine.catalog import Policy, load_policies
from tests.golden import assert_golden_text

DOCS = Path(__file__).parent.parent / "docs" / "policies"
POLICIES = load_policies()


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.id)
def test_committed_doc_page_is_the_generated_one(policy: Policy, update_goldens: bool) -> None:
    page = policy_page(policy, PageFormat.MARKDOWN)
    assert_golden_text(page, DOCS / f"{policy.id}.md", update_goldens)


def test_committed_index_is_the_generated_one(update_goldens: bool) -> None:
    assert_golden_text(catalog_index(POLICIES), DOCS / "README.md", update_goldens)


def test_docs_hold_exactly_one_page_per_policy() -> None:
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages == {f"{p.id}.md" for p in POLICIES} | {"README.md"}


def test_index_links_every_page_with_its_severity() -> None:
    index = catalog_index(POLICIES)
    for policy in POLICIES:
        assert f"| [{policy.id}]({policy.id}.md) | {policy.severity.value} |" in index


def test_markdown_page_has_the_sections_in_order() -> None:
    (dr005,) = [p for p in POLICIES if p.id == "DR005"]
    page = policy_page(dr005, PageFormat.MARKDOWN)
    assert page.startswith(f"# DR005: {dr005.title}\n")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## What it does",
        "## Why is this bad",
        "## Example (failing)",
        "## Use instead (passing)",
        "## How to fix",
    ]
    assert '```hcl\nprovider "aws" {\n' in page
    assert page.count("```") == 4


def test_every_builtin_policy_says_what_it_does() -> None:
    assert [p.id for p in POLICIES if not p.summary] == []


def test_show_markdown_prints_the_committed_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_policies_show("DR005", [], "markdown") == ExitCode.OK
    assert capsys.readouterr().out == (DOCS / "DR005.md").read_text(encoding="utf-8")


def test_show_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_policies_show("DR005", [], "html") == ExitCode.USAGE
    assert "unknown format 'html'; use one of: text, markdown" in capsys.readouterr().err
