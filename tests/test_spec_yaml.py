"""Reading spec YAML: positions, malformed input, duplicate and non-string keys, aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen.errors import DrgenError
from drgen.spec import load_spec, load_spec_with_warnings
from drgen.spec.schema import SPEC
from drgen.yamldoc.reader import MAX_NODES, load_located_yaml
from drgen.yamldoc.source_map import format_json_path
from tests.fixtures.specs.support import (
    edited,
    errors_of,
    only,
    position_of,
    sample_text,
    write_spec,
)


def test_positions_of_keys_and_values() -> None:
    text = "version: 1\ndata:\n  - type: s3\n    name: assets\n"
    value, source_map = load_located_yaml("s.yaml", text, SPEC)
    assert value == {"version": 1, "data": [{"type": "s3", "name": "assets"}]}
    name = source_map.values[("data", 0, "name")]
    assert (name.line, name.column) == (4, 11)
    key = source_map.keys[("data", 0, "name")]
    assert (key.line, key.column) == (4, 5)
    assert source_map.locate(("data", 0, "missing")) == source_map.values[("data", 0)]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("data", 1, "name"), "$.data[1].name"),
        (("tags", "cost center"), "$.tags['cost center']"),
        ((), "$"),
    ],
)
def test_json_path_format(path: tuple[str | int, ...], text: str) -> None:
    assert format_json_path(path) == text


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    text = "version: 1\nname: shop\n  pattern: warm-standby\n"
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == "malformed YAML: mapping values are not allowed here"
    assert (problem.file, problem.line, problem.column) == (str(tmp_path / "spec.yaml"), 3, 10)
    assert problem.hint is not None and "indentation" in problem.hint


def test_tab_indentation_gets_a_specific_fix(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "version: 1\nregions:\n\tprimary: x\n")))
    assert (problem.line, problem.column) == (3, 1)
    assert problem.hint == "indent with spaces, not tabs"


def test_two_documents_are_refused(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "name: a\n---\nname: b\n")))
    assert problem.line == 2
    assert problem.hint is not None and "one spec per file" in problem.hint


def test_empty_file(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "# nothing yet\n")))
    assert problem.message == "the spec is empty"
    assert problem.hint is not None and "drgen init" in problem.hint


def test_unreadable_file(tmp_path: Path) -> None:
    problem = only(errors_of(tmp_path / "absent.yaml"))
    assert problem.message.startswith("cannot read the spec")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00name")
    assert "not UTF-8" in only(errors_of(binary)).message


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = edited(sample_text(), "  port: 8080\n", "  port: 8080\n  port: 9090\n")
    path = write_spec(tmp_path, text)
    problem = only(errors_of(path))
    first_line, _ = position_of(text, "  port: 8080")
    assert problem.message == f"duplicate key 'port' (first written at line {first_line})"
    assert (problem.line, problem.column) == (first_line + 1, 3)
    assert problem.json_path == "$.compute.port"
    assert problem.hint is not None and "keep one" in problem.hint


@pytest.mark.parametrize(("key", "kind"), [("yes", "a boolean"), ("1", "an integer")])
def test_non_string_keys(tmp_path: Path, key: str, kind: str) -> None:
    text = edited(sample_text(), "  team: storefront\n", f"  {key}: storefront\n")
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == f"key '{key}' is read as {kind}; keys must be strings"
    assert (problem.line, problem.column) == (position_of(text, f"  {key}: store")[0], 3)
    assert problem.json_path == "$.tags"
    assert problem.hint == f'quote the key: "{key}"'


def test_complex_key_is_refused(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "? [a, b]\n: value\n")))
    assert problem.message == "a key must be a plain string"
    assert (problem.line, problem.column) == (1, 3)


def test_alias_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcdefghij"):
        previous = "abcdefghij"[index]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = "version: 1\n" + "\n".join(levels) + "\n"  # 10^10 strings if expanded
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == (
        f"aliases expand this document past {MAX_NODES} values (a YAML alias bomb?)"
    )
    assert problem.json_path == "$.d[7]"  # 1 + 11 + 111 + 1111 + 8 * 1111 passes 10000
    assert (problem.line, problem.column) == position_of(text, "&d [")


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "version: 1\nloop: &loop [*loop]\n")))
    assert problem.message == "an alias refers to a node that contains it"
    assert problem.json_path == "$.loop[0]"


def test_plain_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    text = edited(
        sample_text("pilot-light"),
        "  secondary:\n    vpc_id: vpc-0f1e2d3c4b5a69788\n",
        "  secondary:\n    <<: &side {vpc_id: vpc-0f1e2d3c4b5a69788}\n",
    )
    spec = load_spec(write_spec(tmp_path, text))
    assert spec.network is not None
    assert spec.network.secondary.vpc_id == "vpc-0f1e2d3c4b5a69788"


def test_merged_key_position_stays_at_the_explicit_key(tmp_path: Path) -> None:
    text = "base: &base {name: x}\nitem:\n  name: shop\n  <<: *base\n"
    value, source_map = load_located_yaml("s.yaml", text, SPEC)
    assert value["item"] == {"name": "shop"}
    assert source_map.keys[("item", "name")].line == 3


def test_custom_tags_are_refused(tmp_path: Path) -> None:
    text = edited(sample_text(), "name: shop\n", "name: !!python/object:os.system shop\n")
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message.startswith("unsupported YAML tag")
    assert problem.json_path == "$.name"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n")))
    assert problem.message == "the YAML is nested too deeply"


# Everything a YAML double-quoted scalar carries verbatim: no surrogates, unassigned code
# points, control characters or Unicode line/paragraph separators (YAML folds those).
_TAG_VALUES = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cn", "Cc", "Zl", "Zp")), max_size=60
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_TAG_VALUES)
def test_any_tag_value_loads_back_unchanged(tmp_path: Path, value: str) -> None:
    quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    text = edited(sample_text(), "  team: storefront\n", f"  team: {quoted}\n")
    spec, warnings = load_spec_with_warnings(write_spec(tmp_path, text))
    assert dict(spec.tags)["team"] == value
    assert warnings == []


def test_unclosed_quote_names_where_it_starts(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, 'version: 1\nname: "shop\n')))
    assert problem.message == (
        "malformed YAML: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 2, column 7)"
    )
    assert (problem.line, problem.column, problem.hint) == (3, 1, "close the quote")


def test_merge_key_needs_a_mapping(tmp_path: Path) -> None:
    problem = only(errors_of(write_spec(tmp_path, "version: 1\n<<: 5\n")))
    assert problem.message == "a merge key (<<) needs a mapping or a list of mappings"
    assert (problem.line, problem.column, problem.json_path) == (2, 5, "$")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#,? \n\t~<%@`1")), max_size=40))
def test_any_text_loads_or_fails_with_located_problems(tmp_path: Path, text: str) -> None:
    path = write_spec(tmp_path, text)
    try:
        load_spec(path)
    except DrgenError as error:
        assert all(problem.file == str(path) and problem.hint for problem in error.problems)
