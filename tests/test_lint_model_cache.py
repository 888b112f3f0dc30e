"""The content-hash parse cache: hits, corrupt entries, location overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint import cache as cache_module
from drgen.lint.cache import ParseCache, cache_key, default_cache_dir
from drgen.lint.parsing import parse_bytes
from drgen.lint.project import build_project

SOURCE = b'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'


def test_second_parse_is_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ParseCache(tmp_path)
    first = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)

    def fail(*_: object, **__: object) -> None:
        raise AssertionError("parsed again despite a cache entry")

    monkeypatch.setattr("drgen.lint.parsing._parse", fail)
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


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_corrupt_entry_is_a_miss_and_gets_replaced(tmp_path: Path, garbage: bytes) -> None:
    cache = ParseCache(tmp_path)
    key = cache_key(SOURCE, "tree-sitter:hcl")
    parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)
    (entry,) = [p for p in tmp_path.rglob("*.pickle")]
    entry.write_bytes(garbage)
    assert cache.get(key) is None
    parsed = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=cache)
    assert parsed.body.blocks[0].labels == ("aws_s3_bucket", "b")
    assert cache.get(key) == parsed


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    parsed = parse_bytes(SOURCE, is_json=False, parser="tree-sitter", cache=ParseCache(blocker))
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
    entries = sorted(cache_dir.rglob("*.pickle"))
    warm, _ = build_project([source], cache_dir=cache_dir)
    assert len(entries) == 1
    assert sorted(cache_dir.rglob("*.pickle")) == entries
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
    assert len(list(cache_dir.rglob("*.pickle"))) == 20
    assert not list(cache_dir.rglob("*.tmp"))
