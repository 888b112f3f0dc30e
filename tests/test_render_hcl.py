"""HCL escaping: unit cases, and arbitrary strings surviving render -> python-hcl2 parse."""

from __future__ import annotations

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drgen.render import render_spec
from drgen.render.hcl import hcl_comment, hcl_fragment, hcl_list, hcl_string
from tests.render_support import decode_hcl2_string, make_spec


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", '"plain"'),
        ('a"b ${x}', '"a\\"b $${x}"'),
        ("back\\slash", '"back\\\\slash"'),
        ("line\nfeed\rtab\t", '"line\\nfeed\\rtab\\t"'),
        ("%{ if x }", '"%%{ if x }"'),
        ("bell\x07del\x7f", '"bell\\u0007del\\u007F"'),
        ("unclosed ${", '"unclosed \\u0024{"'),
        ("unclosed %{", '"unclosed \\u0025{"'),
        ("$${x}", '"$$${x}"'),
        ("ünïcödé ✓", '"ünïcödé ✓"'),
        ("line\u2028separator\x85", '"line\\u2028separator\\u0085"'),
        ("", '""'),
    ],
)
def test_hcl_string_escapes(value: str, expected: str) -> None:
    assert hcl_string(value) == expected


def test_fragment_has_no_quotes_and_list_joins_strings() -> None:
    assert hcl_fragment('say "hi"') == 'say \\"hi\\"'
    assert hcl_list(["a", 'b"']) == '["a", "b\\""]'


def test_comment_text_stays_on_one_line() -> None:
    assert hcl_comment("two\nlines\r\tand a tab") == "two lines  and a tab"
    assert hcl_comment("a\u2028b\x85c") == "a b c"


def test_tag_with_quote_and_interpolation_renders_as_that_literal() -> None:
    tree = render_spec(make_spec(tags={"note": 'a"b ${x}'}))
    assert '"note"           = "a\\"b $${x}"' in tree.files["3-primary/versions.tf"]
    assert _default_tags(tree.files["3-primary/versions.tf"])["note"] == 'a"b ${x}'


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_any_string_round_trips_through_an_hcl_attribute(value: str) -> None:
    parsed = hcl2.loads(f"locals {{\n  value = {hcl_string(value)}\n}}\n")
    assert decode_hcl2_string(parsed["locals"][0]["value"]) == value


_TAG_KEYS = st.text(min_size=1, max_size=40).filter(lambda k: not k.startswith("drgen:"))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_TAG_KEYS, st.text(max_size=60), max_size=4))
def test_any_tags_round_trip_through_render_and_python_hcl2(tags: dict[str, str]) -> None:
    spec = make_spec(pattern="backup-restore", dns=None, compute=None, data=[], tags=tags)
    rendered = _default_tags(render_spec(spec).files["4-recovery/versions.tf"])
    assert {k: v for k, v in rendered.items() if not k.startswith("drgen:")} == tags


def _default_tags(versions_tf: str) -> dict[str, str]:
    provider = hcl2.loads(versions_tf)["provider"][0]['"aws"']
    raw = provider["default_tags"][0]["tags"]
    return {decode_hcl2_string(k): decode_hcl2_string(v) for k, v in raw.items()}
