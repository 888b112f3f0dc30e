"""The content-hash parse cache: hits, hostile and corrupt entries, the data-only codec."""

from __future__ import annotations

import math
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.lint.frontends import parse_cache as cache_module
from drgen.lint.frontends.parse_cache import ParseCache, cache_key, default_cache_dir
from drgen.lint.frontends.parse_cache_codec import (
    InvalidEntry,
    decode_parsed_file,
    encode_parsed_file,
)
from drgen.lint.frontends.parsed import ParsedFile, SyntaxProblem
from drgen.lint.frontends.parsing import PARSERS, ParserName, parse_bytes
from drgen.lint.model.roots import Block, Expression, Suppression, Value
from drgen.lint.topology.project import build_project

SOURCE = b'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
SECRET = b"k" * 32


def test_second_parse_is_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ParseCache(tmp_path, SECRET)
    first = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)

    def fail(*_: object, **__: object) -> None:
        raise AssertionError("parsed again despite a cache entry")

    monkeypatch.setattr("drgen.lint.frontends.parsing._parse", fail)
    assert parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache) == first


def test_key_depends_on_content_parser_and_format_version(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {
        cache_key(SOURCE, "tree-sitter:hcl"),
        cache_key(SOURCE + b"\n", "tree-sitter:hcl"),
        cache_key(SOURCE, "python-hcl2:hcl"),
    }
    monkeypatch.setattr(cache_module, "FORMAT_VERSION", "999")
    keys.add(cache_key(SOURCE, "tree-sitter:hcl"))
    assert len(keys) == 4


_VALID_BLOCK = '["",[],{},[],1,1,{}]'
GARBAGE = [
    b"",
    b"not json",
    b"\xff\xfe not utf-8",
    b"\x80\x05K\x01.",  # a pickle
    b"[]",
    b"{}",
    b"null",
    b"NaN",
    b"[" * 100_000 + b"]" * 100_000,  # nested far too deep for the decoder
    f"[{_VALID_BLOCK},null,[],[]".encode(),  # truncated
    f"[{_VALID_BLOCK},null,[],[],1]".encode(),  # one field too many
    f"[{_VALID_BLOCK},null,[],[true]]".encode(),  # a bool where a line number belongs
    f"[{_VALID_BLOCK},null,[],[1.5]]".encode(),
    f"[{_VALID_BLOCK},[1,1],[],[]]".encode(),  # a syntax problem without its message
    b'[["",[],{"a":{"x":1}},[],1,1,{}],null,[],[]]',  # an unknown value tag
    b'[["",[],{"a":{"m":{},"e":""}},[],1,1,{}],null,[],[]]',  # two tags at once
    b'[["",[],{"a":{"f":"1e999"}},[],1,1,{}],null,[],[]]',
    b'[["",[],{"a":{"f":[]}},[],1,1,{}],null,[],[]]',
    b'[["",[],{"a":{"e":"x","r":[1]}},[],1,1,{}],null,[],[]]',
    b'[["",[],{"a":Infinity},[],1,1,{}],null,[],[]]',
    b'[["",[7],{},[],1,1,{}],null,[],[]]',
    b'[["",[],{},[],1,1,{"a":"1"}],null,[],[]]',
    f'[{_VALID_BLOCK},null,[[["DR1"],"r","f",1,"2027-02-30",""]],[]]'.encode(),  # no such day
    f'[{_VALID_BLOCK},null,[[["DR1"],"r","f",1,5,""]],[]]'.encode(),
]


@pytest.mark.parametrize("garbage", GARBAGE, ids=lambda g: repr(g[:30]))
def test_decoding_rejects_anything_the_encoder_did_not_write(garbage: bytes) -> None:
    with pytest.raises(InvalidEntry):
        decode_parsed_file(garbage)


@pytest.mark.parametrize("garbage", GARBAGE, ids=lambda g: repr(g[:30]))
def test_corrupt_entry_is_a_miss_and_gets_replaced(tmp_path: Path, garbage: bytes) -> None:
    cache = ParseCache(tmp_path, SECRET)
    key = cache_key(SOURCE, "tree-sitter:hcl")
    parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)
    (entry,) = [p for p in tmp_path.rglob("*.json")]
    entry.write_bytes(garbage)
    assert cache.get(key) is None
    parsed = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)
    assert parsed.body.blocks[0].labels == ("aws_s3_bucket", "b")
    assert cache.get(key) == parsed


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    parsed = parse_bytes(
        SOURCE, is_json=False, parser="tree-sitter", cache=ParseCache(blocker, SECRET)
    )
    assert parsed.error is None


def test_cache_location_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "drgen"
    monkeypatch.setenv("DRGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def test_build_project_writes_then_reuses_entries(tmp_path: Path) -> None:
    source = tmp_path / "infra"
    source.mkdir()
    (source / "main.tf").write_bytes(SOURCE)
    cache_dir = tmp_path / "cache"
    cold, _ = build_project([source], cache_dir=cache_dir)
    entries = sorted(cache_dir.rglob("*.json"))
    warm, _ = build_project([source], cache_dir=cache_dir)
    assert len(entries) == 1
    assert sorted(cache_dir.rglob("*.json")) == entries
    assert warm.roots[0].resources[0].body == cold.roots[0].resources[0].body


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(SOURCE)
    build_project([tmp_path], use_cache=False, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def _build_in_process(source: str, cache_dir: str) -> list[str]:
    project, errors = build_project([Path(source)], cache_dir=Path(cache_dir))
    assert errors == []
    return [r.address for root in project.roots for r in root.resources]


def test_concurrent_runs_share_one_cache_safely(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    source = tmp_path / "infra"
    source.mkdir()
    for index in range(20):
        (source / f"f{index}.tf").write_text(f'resource "aws_sqs_queue" "q{index}" {{}}\n')
    cache_dir = tmp_path / "cache"
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(_build_in_process, [str(source)] * 4, [str(cache_dir)] * 4))
    assert all(run == runs[0] for run in runs) and len(runs[0]) == 20
    assert len(list(cache_dir.rglob("*.json"))) == 20
    assert not list(cache_dir.rglob("*.tmp"))


class _Trap:
    """Unpickling this runs ``os.mkdir(marker)``: proof that something unpickled it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def test_a_pickle_in_the_cache_is_never_unpickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "code-ran"
    hostile = pickle.dumps(_Trap(marker))
    cache_dir = tmp_path / "cache"
    # where the pickle-based format (version 1) kept this file's entry, and today's place
    monkeypatch.setattr(cache_module, "FORMAT_VERSION", "1")
    old_key = cache_key(SOURCE, "tree-sitter:hcl")
    old_entry = cache_dir / "parse-v1" / old_key[:2] / f"{old_key[2:]}.pickle"
    monkeypatch.undo()
    key = cache_key(SOURCE, "tree-sitter:hcl")
    cache = ParseCache(cache_dir, SECRET)
    for entry in (old_entry, cache._path(key), cache._path(key).with_suffix(".pickle")):
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(hostile)

    parsed = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)
    source = tmp_path / "infra"
    source.mkdir()
    (source / "main.tf").write_bytes(SOURCE)
    monkeypatch.setenv("DRGEN_CACHE_KEY", "a CI secret")
    build_project([source], cache_dir=cache_dir)

    assert not marker.exists()
    assert parsed.body.blocks[0].labels == ("aws_s3_bucket", "b")
    assert old_entry.read_bytes() == hostile  # left alone, not read
    assert ParseCache(cache_dir, cache_module.cache_secret() or b"").get(key) == parsed


def test_values_outside_the_model_or_nested_too_deep_are_not_cached(tmp_path: Path) -> None:
    deep: Value = []
    for _ in range(100_000):
        deep = [deep]
    unsupported = {"a": {1, 2}}  # a set is no Value
    cache = ParseCache(tmp_path, SECRET)
    for index, attributes in enumerate([{"deep": deep}, unsupported]):
        body = Block("", (), attributes, [], 1, 1)  # type: ignore[arg-type]
        cache.put(str(index) * 64, ParsedFile(body))
    assert not list(tmp_path.rglob("*.json"))
    assert not list(tmp_path.rglob("*.tmp"))


# --- the codec round-trips every shape the parsers produce -------------------------------

TESTS = Path(__file__).parent
TERRAFORM_FILES = sorted(
    p
    for pattern in ("*.tf", "*.tf.json")
    for p in TESTS.rglob(pattern)
    if ".terraform" not in p.parts
)


def test_the_round_trip_sees_fixture_files() -> None:
    assert len(TERRAFORM_FILES) >= 100
    assert any(p.name.endswith(".tf.json") for p in TERRAFORM_FILES)


@given(path=st.sampled_from(TERRAFORM_FILES), parser=st.sampled_from(PARSERS))
def test_every_parsed_fixture_round_trips(path: Path, parser: ParserName) -> None:
    parsed = parse_bytes(
        path.read_bytes(), is_json=path.name.endswith(".json"), parser=parser, cache=None
    )
    assert decode_parsed_file(encode_parsed_file(parsed)) == parsed


_TAG_LIKE_KEYS = st.sampled_from(["m", "e", "r", "f", "", "a.b"]) | st.text(max_size=5)
_EXPRESSIONS = st.builds(
    Expression, st.text(max_size=10), st.lists(st.text(max_size=8), max_size=3).map(tuple)
)
_VALUES: st.SearchStrategy[Value] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | _EXPRESSIONS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_TAG_LIKE_KEYS, children, max_size=4)
    ),
    max_leaves=20,
)
_BLOCKS = st.recursive(
    st.builds(
        Block,
        type=st.text(max_size=8),
        labels=st.lists(st.text(max_size=8), max_size=2).map(tuple),
        attributes=st.dictionaries(_TAG_LIKE_KEYS, _VALUES, max_size=4),
        blocks=st.just([]),
        line=st.integers(1, 10_000),
        end_line=st.integers(1, 10_000),
        attribute_lines=st.dictionaries(_TAG_LIKE_KEYS, st.integers(1, 10_000), max_size=3),
    ),
    lambda children: st.builds(
        Block,
        type=st.text(max_size=8),
        labels=st.just(()),
        attributes=st.just({}),
        blocks=st.lists(children, max_size=3),
        line=st.integers(1, 10_000),
        end_line=st.integers(1, 10_000),
    ),
    max_leaves=6,
)
_SUPPRESSIONS = st.builds(
    Suppression,
    rule_ids=st.lists(st.text(max_size=6), max_size=3).map(tuple),
    reason=st.text(max_size=10),
    file=st.text(max_size=10),
    line=st.integers(1, 10_000),
    until=st.none() | st.dates(),
    problem=st.text(max_size=10),
)


@given(
    body=_BLOCKS,
    error=st.none() | st.builds(SyntaxProblem, st.integers(), st.integers(), st.text()),
    suppressions=st.lists(_SUPPRESSIONS, max_size=3).map(tuple),
    comment_lines=st.frozensets(st.integers(1, 10_000), max_size=5),
)
def test_every_model_shape_round_trips(
    body: Block,
    error: SyntaxProblem | None,
    suppressions: tuple[Suppression, ...],
    comment_lines: frozenset[int],
) -> None:
    parsed = ParsedFile(body, error, suppressions, comment_lines)
    assert decode_parsed_file(encode_parsed_file(parsed)) == parsed


def test_non_finite_floats_round_trip_as_floats() -> None:
    values: list[Value] = [math.inf, -math.inf, math.nan, -0.0, 1.0, 1]
    parsed = ParsedFile(Block("", (), {"v": values}, [], 1, 1))
    decoded = decode_parsed_file(encode_parsed_file(parsed)).body.attributes["v"]
    assert isinstance(decoded, list)
    assert [type(v) for v in decoded] == [float, float, float, float, float, int]
    assert decoded[:2] == [math.inf, -math.inf] and math.isnan(decoded[2])  # type: ignore[arg-type]
    assert math.copysign(1, decoded[3]) == -1  # type: ignore[arg-type]
