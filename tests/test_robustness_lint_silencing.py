"""Lint cannot be silenced: suppressions come only from real comments, on the lines Terraform
counts, and every tree drgen renders parses in drgen's own front end (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.frontends.parsing import PARSERS, ParserName, parse_bytes
from drgen.lint.frontends.suppressions import scan
from drgen.lint.topology.project import build_project
from drgen.render.hcl import hcl_string

LOGS_THEN_DATA = (
    'resource "aws_s3_bucket" "assets" {{\n'
    '  bucket = "{name}"\n'
    "  # drgen:ignore[DR001] assets are rebuilt from source control\n"
    "}}\n"
    "\n"
    'resource "aws_s3_bucket" "data" {{\n'
    '  bucket = "data"\n'
    "}}\n"
)


def dr001(tmp_path: Path, source: str, parser: ParserName = "tree-sitter") -> dict[str, bool]:
    """resource address -> whether its DR001 finding is waived."""
    (tmp_path / "main.tf").write_text(source, encoding="utf-8")
    project, errors = build_project([tmp_path], use_cache=False, parser=parser)
    assert errors == []
    findings = lint_project(project, load_policies())
    return {f.resource: f.suppressed for f in findings if f.rule_id == "DR001"}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x1c", "\x85", "\x0b"])
@pytest.mark.parametrize("parser", PARSERS)
def test_characters_splitlines_breaks_on_do_not_shift_suppressions(
    tmp_path: Path, separator: str, parser: ParserName
) -> None:
    # four of them would move the comment into bucket "data" if they counted as line ends
    source = LOGS_THEN_DATA.format(name="assets" + separator * 4)
    assert dr001(tmp_path, source, parser) == {
        "aws_s3_bucket.assets": True,
        "aws_s3_bucket.data": False,
    }


@pytest.mark.parametrize(
    "planted",
    [
        '  description = "# drgen:ignore[DR001] not a comment"\n',
        '  description = "${"// drgen:ignore[DR001] not a comment"}"\n',
        "  policy = <<EOT\n# drgen:ignore[DR001] heredoc text\nEOT\n",
        "  policy = <<-EOT\n    // drgen:ignore[DR001] heredoc text\n    EOT\n",
    ],
    ids=["string", "template", "heredoc", "indented-heredoc"],
)
def test_ignore_text_inside_strings_and_heredocs_waives_nothing(
    tmp_path: Path, planted: str
) -> None:
    source = f'resource "aws_s3_bucket" "data" {{\n  bucket = "data"\n{planted}}}\n'
    assert dr001(tmp_path, source) == {"aws_s3_bucket.data": False}
    suppressions, _ = scan(source)
    assert suppressions == ()


def test_real_comments_after_code_and_in_both_styles_still_count() -> None:
    source = (
        'resource "aws_s3_bucket" "a" { # drgen:ignore[DR001] reason a\n}\n'
        "// drgen:ignore[DR002] reason b\n"
        "/* drgen:ignore[DR003] a block comment is not a suppression */\n"
    )
    suppressions, comment_lines = scan(source)
    assert [(s.rule_ids, s.reason, s.line) for s in suppressions] == [
        (("DR001",), "reason a", 1),
        (("DR002",), "reason b", 3),
    ]
    assert comment_lines == frozenset({3, 4})


@pytest.mark.parametrize(
    "comment",
    ["# drgen:ignore[] reason", "# drgen:ignore DR001 reason", "# drgen:ignore[DR001 reason"],
)
def test_a_suppression_naming_no_policy_is_a_dr000(tmp_path: Path, comment: str) -> None:
    (tmp_path / "main.tf").write_text(f'{comment}\nresource "aws_sqs_queue" "q" {{}}\n')
    project, _ = build_project([tmp_path], use_cache=False)
    findings = lint_project(project, load_policies())
    (dr000,) = [f for f in findings if f.rule_id == "DR000"]
    assert "names no policy in brackets, so it waives nothing" in dr000.message
    assert dr000.line == 1


def test_similar_words_are_not_suppressions() -> None:
    assert scan("# drgen:ignored on purpose\n# see drgen:ignore[DR001] docs\n")[0] == ()


# Terraform reads what the render filters write back literally (checked against Terraform
# itself in tests/verification); drgen's own front end must read it back the same way.
@settings(max_examples=300)
@given(key=st.text(max_size=30), value=st.text(max_size=60))
def test_every_tag_string_drgen_renders_parses_back_literally(key: str, value: str) -> None:
    source = f"tags = {{\n  {hcl_string(key)} = {hcl_string(value)}\n}}\n"
    parsed = parse_bytes(
        source.encode("utf-8", "surrogatepass"), is_json=False, parser="tree-sitter", cache=None
    )
    assert parsed.error is None, source
    assert parsed.body.attributes["tags"] == {key: value}
