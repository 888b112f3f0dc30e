"""The alignment pass lays HCL out the way hclwrite (terraform fmt) does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drgen.render import render_spec
from drgen.render.fmt import format_hcl
from drgen.spec import load_spec
from tests.render_support import SAMPLES


def test_aligns_consecutive_attributes_and_breaks_groups_on_blocks_and_blanks() -> None:
    source = (
        'resource "a" "b" {\n'
        "  name = 1\n"
        "  longer_name = 2\n"
        "\n"
        "  x = 3\n"
        "  nested {\n"
        '    k = "v"\n'
        '    "quoted key" = "v"\n'
        "  }\n"
        "}\n"
    )
    assert format_hcl(source) == (
        'resource "a" "b" {\n'
        "  name        = 1\n"
        "  longer_name = 2\n"
        "\n"
        "  x = 3\n"
        "  nested {\n"
        '    k            = "v"\n'
        '    "quoted key" = "v"\n'
        "  }\n"
        "}\n"
    )


def test_multi_line_values_and_comments_end_a_group() -> None:
    source = 'x {\n  a = 1\n  tags = {\n    k = "v"\n  }\n  bb = 2\n  # note\n  ccc = 3\n}\n'
    assert format_hcl(source) == (
        'x {\n  a = 1\n  tags = {\n    k = "v"\n  }\n  bb = 2\n  # note\n  ccc = 3\n}\n'
    )


def test_equals_inside_strings_and_brackets_do_not_confuse_alignment() -> None:
    source = 'x {\n  a = "p = q {"\n  bbb = ["]", "}"]\n}\n'
    assert format_hcl(source) == 'x {\n  a   = "p = q {"\n  bbb = ["]", "}"]\n}\n'


def test_top_level_blocks_are_separated_by_one_blank_line() -> None:
    assert format_hcl("a {\n}\nb {\n}\n# c\nd {\n}\n") == "a {\n}\n\nb {\n}\n\n# c\nd {\n}\n"


def test_blank_lines_collapse_and_trailing_spaces_go() -> None:
    source = "a {   \n\n  x = 1\n\n\n  y {\n  }\n\n}\n\n\nb {\n}\n\n"
    assert format_hcl(source) == "a {\n  x = 1\n\n  y {\n  }\n}\n\nb {\n}\n"


def test_unicode_line_separators_inside_strings_are_not_line_breaks() -> None:
    source = 'x {\n  a = "p\u2028q"\n  bb = "\x0c"\n}\n'
    assert format_hcl(source) == 'x {\n  a  = "p\u2028q"\n  bb = "\x0c"\n}\n'


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_rendered_files_are_a_fixed_point_of_the_formatter(sample: Path) -> None:
    for name, text in render_spec(load_spec(sample)).files.items():
        if name.endswith(".tf"):
            assert format_hcl(text) == text, name
            assert re.search(r"^}\n[^\n]", text, re.MULTILINE) is None, name  # blank after blocks
