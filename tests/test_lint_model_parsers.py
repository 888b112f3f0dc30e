"""tree-sitter (fast path) and python-hcl2 (reference) give the same model; parsing never raises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from drgen.lint.frontends.parsing import PARSERS, ParserName, parse_bytes
from drgen.lint.topology.project import build_project
from drgen.resources import data_dir

TESTS = Path(__file__).parent


def _terraform_dirs() -> list[Path]:
    """Every folder under tests/ holding Terraform: model and policy fixtures, golden trees."""
    found = {p.parent for p in TESTS.rglob("*.tf")} | {p.parent for p in TESTS.rglob("*.tf.json")}
    return sorted(d for d in found if ".terraform" not in d.parts)


def _policy_examples() -> list[tuple[str, str]]:
    examples: list[tuple[str, str]] = []
    for policy in sorted(data_dir("policies").glob("DR*.yaml")):
        document = yaml.safe_load(policy.read_text(encoding="utf-8")) or {}
        for kind, texts in sorted((document.get("examples") or {}).items()):
            for index, text in enumerate(texts if isinstance(texts, list) else [texts]):
                examples.append((f"{policy.stem}:{kind}:{index}", str(text)))
    return examples


@pytest.mark.parametrize(
    "directory", _terraform_dirs(), ids=lambda d: d.relative_to(TESTS).as_posix()
)
def test_both_parsers_build_the_same_model(directory: Path) -> None:
    fast, fast_errors = build_project([directory], use_cache=False, parser="tree-sitter")
    reference, reference_errors = build_project([directory], use_cache=False, parser="python-hcl2")
    # both reject the same files (locations may differ: the parsers recover differently)
    assert [e.file for e in fast_errors] == [e.file for e in reference_errors]
    assert fast == reference


@pytest.mark.parametrize(("name", "text"), _policy_examples(), ids=lambda v: str(v)[:40])
def test_both_parsers_agree_on_policy_examples(name: str, text: str) -> None:
    data = text.encode("utf-8")
    fast = parse_bytes(data, is_json=False, parser="tree-sitter", cache=None)
    reference = parse_bytes(data, is_json=False, parser="python-hcl2", cache=None)
    assert fast.error is None, f"{name}: {fast.error}"
    assert fast == reference


def test_the_agreement_test_sees_fixtures() -> None:
    assert len(_terraform_dirs()) >= 8


def _hcl_quoted(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out).replace("${", "$${").replace("%{", "%%{")


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_string_literals_round_trip(parser: ParserName, text: str) -> None:
    # A known gap of the reference parser, rare in real code: python-hcl2 needs a "}" somewhere
    # after "$${" or "%%{" (and rejects "%%%{"). drgen's tree-sitter front end has no gap.
    if parser == "python-hcl2":
        assume(not re.search(r"%%\{", text))
        assume(not re.search(r"[$%]\{[^}]*$", text))
    source = f'resource "aws_s3_bucket" "b" {{\n  bucket = "{_hcl_quoted(text)}"\n}}\n'
    parsed = parse_bytes(source.encode("utf-8"), is_json=False, parser=parser, cache=None)
    assert parsed.error is None
    assert parsed.body.blocks[0].attributes["bucket"] == text


_HCL_PIECES = [
    *'abc_=.{}[]()"$%#/*\\\n <->:?!,~019',
    "${",
    "%{",
    "<<EOT\n",
    "<<-X\n",
    "EOT",
    "\ufeff",
]
_HCLISH = st.lists(st.sampled_from(_HCL_PIECES), max_size=40).map("".join)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=60), _HCLISH))
def test_parsing_never_raises(parser: ParserName, text: str) -> None:
    for is_json in (False, True):
        parsed = parse_bytes(
            text.encode("utf-8", "surrogatepass"), is_json=is_json, parser=parser, cache=None
        )
        if parsed.error is not None:
            assert parsed.error.line >= 1 and parsed.error.column >= 1


def _deep_hcl(depth: int) -> str:
    lists, maps = "[" * depth + "{}" + "]" * depth, "{a = " * depth + "1" + "}" * depth
    return (
        'variable "v" {\n  default = ' + lists.format("1") + "\n}\n"
        'resource "aws_s3_bucket" "b" {\n  x    = ' + lists.format("var.v") + "\n"
        "  tags = " + maps + "\n}\n" + "a {\n" * depth + "}\n" * depth
    )


def _deep_json(depth: int) -> str:
    maps = '{"a": ' * depth + "1" + "}" * depth
    lists = "[" * depth + '"${var.v}"' + "]" * depth
    return '{"resource": {"aws_s3_bucket": {"b": {"tags": ' + maps + ', "x": ' + lists + "}}}}"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("name", "text"),
    [
        *[("main.tf", _deep_hcl(depth)) for depth in (300, 450, 3000)],
        *[("main.tf.json", _deep_json(depth)) for depth in (300, 900, 50000)],
    ],
    ids=["hcl-300", "hcl-450", "hcl-3000", "json-300", "json-900", "json-50000"],
)
def test_deep_nesting_is_a_file_error_or_a_model_even_through_the_cache(
    parser: ParserName, name: str, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found on purpose-built input: nesting the parser accepted used to overflow the stack in
    # the JSON reader and in pickling the cache entry (an internal error, exit 3).
    monkeypatch.setenv("DRGEN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / name).write_text(text, encoding="utf-8")
    for _ in range(2):  # the second run reads whatever the first could cache
        project, errors = build_project([tmp_path / "tf"], use_cache=True, parser=parser)
        if errors:
            assert [(e.file, e.line, e.message) for e in errors] == [
                (name, 1, "expressions nested too deeply to analyse")
            ]
        else:
            (bucket,) = project.roots[0].resources
            assert bucket.address == "aws_s3_bucket.b"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("%%%{x}", "%%{x}"),  # what drgen renders for a tag "%%{x}"
        ("$$${", "$${"),
        ("a$$$$${x}", "a$$$${x}"),
        ("%%%%{", "%%%{"),
        ("$$", "$$"),
    ],
)
def test_tree_sitter_reads_literal_dollars_and_percents_before_escapes(
    written: str, value: str
) -> None:
    # values as Terraform 1.11's own console prints them back
    source = f'resource "aws_s3_bucket" "b" {{\n  bucket = "{written}"\n  acl = 1 +\n}}\n'
    parsed = parse_bytes(source.encode(), is_json=False, parser="tree-sitter", cache=None)
    assert parsed.error is not None and (parsed.error.line, parsed.error.column) == (3, 11)
    fixed = source.replace("  acl = 1 +\n", "")
    parsed = parse_bytes(fixed.encode(), is_json=False, parser="tree-sitter", cache=None)
    assert parsed.error is None
    assert parsed.body.blocks[0].attributes["bucket"] == value
