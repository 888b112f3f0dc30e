"""The parse cache under its threat model: the cache folder is untrusted (CI restores it
across branches and forks), so nothing placed there may change a finding (issue 10)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from drgen.lint.frontends import parse_cache as cache_module
from drgen.lint.frontends.parse_cache import ParseCache, cache_key, cache_secret
from drgen.lint.frontends.parsing import parse_bytes
from drgen.lint.topology.project import build_project

FINDING = b'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n'
BENIGN = b'resource "aws_sqs_queue" "q" {}\n'
KIND = "tree-sitter:hcl"


@pytest.fixture
def ci_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv("DRGEN_CACHE_KEY", "the CI secret")
    secret = cache_secret()
    assert secret is not None
    return secret


def warm(cache: ParseCache, *sources: bytes) -> None:
    for source in sources:
        parse_bytes(source, is_json=False, parser="tree-sitter", cache=cache)


def buckets(folder: Path, cache_dir: Path) -> list[str]:
    project, _ = build_project([folder], cache_dir=cache_dir)
    return [r.address for root in project.roots for r in root.resources]


def test_an_entry_swapped_in_from_another_file_is_a_miss(tmp_path: Path, ci_key: bytes) -> None:
    cache_dir = tmp_path / "cache"
    cache = ParseCache(cache_dir, ci_key)
    warm(cache, FINDING, BENIGN)
    finding_entry = cache._path(cache_key(FINDING, KIND))
    finding_entry.write_bytes(cache._path(cache_key(BENIGN, KIND)).read_bytes())
    assert cache.get(cache_key(FINDING, KIND)) is None
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_bytes(FINDING)
    assert buckets(infra, cache_dir) == ["aws_s3_bucket.data"]  # the finding stays


def test_an_entry_forged_without_the_key_is_a_miss(tmp_path: Path, ci_key: bytes) -> None:
    forger = ParseCache(tmp_path, b"a key the attacker made up!!!!!!")
    benign = parse_bytes(BENIGN, is_json=False, parser="tree-sitter", cache=None)
    forger.put(cache_key(FINDING, KIND), benign)  # well formed, for the file with a finding
    assert ParseCache(tmp_path, ci_key).get(cache_key(FINDING, KIND)) is None


def test_linked_entries_are_misses(tmp_path: Path, ci_key: bytes) -> None:
    cache = ParseCache(tmp_path / "cache", ci_key)
    warm(cache, FINDING)
    entry = cache._path(cache_key(FINDING, KIND))
    good = tmp_path / "valid-entry"
    entry.rename(good)
    entry.symlink_to(good)  # the right bytes, but through a link
    assert cache.get(cache_key(FINDING, KIND)) is None
    entry.unlink()
    os.mkfifo(entry)  # and a pipe neither hangs nor counts
    assert cache.get(cache_key(FINDING, KIND)) is None


def test_cache_writes_never_follow_links(tmp_path: Path, ci_key: bytes) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim"
    victim.write_text("precious\n")
    cache = ParseCache(tmp_path / "cache", ci_key)
    key = cache_key(FINDING, KIND)
    entry = cache._path(key)
    entry.parent.mkdir(parents=True)
    entry.symlink_to(victim)  # an entry planted as a link to a user's file
    warm(cache, FINDING)
    assert victim.read_text() == "precious\n"
    assert not entry.is_symlink() and cache.get(key) is not None  # replaced, link not followed
    other = cache_key(BENIGN, KIND)
    cache._path(other).parent.symlink_to(outside)  # a whole entry folder planted as a link
    warm(cache, BENIGN)
    assert sorted(p.name for p in outside.iterdir()) == ["victim"]
    assert cache.get(other) is None


def test_a_per_user_key_file_is_made_private_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRGEN_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = cache_secret()
    key_file = tmp_path / "config" / "drgen" / "cache.key"
    assert first is not None and len(first) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert cache_secret() == first


@pytest.mark.parametrize("tamper", ["group-readable", "link", "short"])
def test_a_key_file_others_could_read_or_plant_disables_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper: str
) -> None:
    monkeypatch.delenv("DRGEN_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    key_file = tmp_path / "config" / "drgen" / "cache.key"
    key_file.parent.mkdir(parents=True)
    if tamper == "link":
        (tmp_path / "known").write_bytes(b"k" * 32)
        key_file.symlink_to(tmp_path / "known")
    else:
        key_file.write_bytes(b"k" * (32 if tamper == "group-readable" else 8))
        key_file.chmod(0o640 if tamper == "group-readable" else 0o600)
    assert cache_secret() is None
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_bytes(FINDING)
    assert buckets(infra, tmp_path / "cache") == ["aws_s3_bucket.data"]  # still linted
    assert not (tmp_path / "cache").exists()  # uncached


def test_the_format_version_moved_past_unauthenticated_entries() -> None:
    assert cache_module.FORMAT_VERSION == "3"


def test_an_oversized_entry_is_a_miss_without_being_read(
    tmp_path: Path, ci_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry past the size limit (a sparse file, so the test writes nothing) is a miss,
    and so is one that grows past the limit while it is read."""
    cache = ParseCache(tmp_path, ci_key)
    warm(cache, FINDING)
    entry = cache._path(cache_key(FINDING, KIND))
    size = entry.stat().st_size
    os.truncate(entry, cache_module._MAX_ENTRY_BYTES + 1)
    assert cache.get(cache_key(FINDING, KIND)) is None
    os.truncate(entry, size)
    warm(cache, FINDING)
    assert cache.get(cache_key(FINDING, KIND)) is not None
    real_fstat = os.fstat

    def shrunk(handle: int) -> os.stat_result:  # the size fstat saw was within the limit
        status = real_fstat(handle)
        fields = list(status)
        fields[stat.ST_SIZE] = 1
        return os.stat_result(fields)

    monkeypatch.setattr(cache_module, "_MAX_ENTRY_BYTES", size - 1)
    monkeypatch.setattr(cache_module.os, "fstat", shrunk)
    assert cache.get(cache_key(FINDING, KIND)) is None
