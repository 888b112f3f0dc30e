"""Property tests: only manifest paths inside the tree are accepted; only drgen files change."""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen import bounded_json
from drgen.errors import DrgenError
from drgen.render.journal import parse_journal
from drgen.render.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    check_tree_path,
    parse_manifest,
    sha256_as_rendered,
    sha256_text,
)
from drgen.render.writer import write_tree
from tests.fault_support import snapshot

_PATH_PIECES = st.sampled_from(["a", "b.tf", ".", "..", "", "/", "\\", "\x00", "\n", ".drgen-x"])
PATHS = st.one_of(
    st.text(max_size=40),
    st.lists(_PATH_PIECES, max_size=6).map("".join),
    st.lists(st.sampled_from(["a", "..", ".", "", "3-primary", "main.tf"]), max_size=10).map(
        "/".join
    ),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


def _inside(name: str) -> bool:
    joined = posixpath.normpath(posixpath.join("/tree", name))
    return posixpath.normpath(name) == name and joined.startswith("/tree/")


@given(PATHS)
def test_an_accepted_path_is_normalised_and_inside_the_tree(name: str) -> None:
    try:
        accepted = check_tree_path(name)
    except ManifestError:
        return
    assert _inside(accepted) and "\x00" not in accepted and not accepted.startswith(".drgen")


@given(st.dictionaries(PATHS, st.just("0" * 64), max_size=5))
def test_any_manifest_parses_to_inside_paths_or_is_refused(files: dict[str, str]) -> None:
    text = json.dumps({"format": 2, "drgen_version": "x", "spec": "s", "files": files})
    try:
        manifest = parse_manifest(text)
    except ManifestError:
        assert not all(_safe(name) for name in files)
        return
    assert all(_inside(name) for name in manifest.files)
    assert parse_manifest(manifest.to_text()) == manifest


def _safe(name: str) -> bool:
    try:
        check_tree_path(name)
    except ManifestError:
        return False
    return True


@given(st.one_of(JSON, st.text(max_size=60)))
def test_arbitrary_json_or_text_never_crashes_the_manifest_or_journal_reader(value: Any) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    for parse in (parse_manifest, parse_journal):
        # ManifestError or JsonShapeError (ValueErrors) become a located "damaged" message
        with contextlib.suppress(ValueError):
            parse(text)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


@given(JSON)
def test_nesting_depth_matches_the_value_and_loads_agrees_with_json(value: Any) -> None:
    text = json.dumps(value)
    assert bounded_json.nesting_depth(text) == _depth(value)
    assert bounded_json.loads(text, max_depth=_depth(value)) == json.loads(text)


def test_a_manifest_round_trips_with_subfolder_paths() -> None:
    files = {"3-primary/main.tf": "a" * 64, "README.md": "b" * 64}
    manifest = Manifest("0.2.0", "spec.yaml", files)
    assert parse_manifest(manifest.to_text()) == manifest


_NAMES = st.sampled_from(
    ["main.tf", "README.md", "3-primary/main.tf", "3-primary/state.tf", "4-recovery/x.tf"]
)
_USER_NAMES = st.sampled_from(
    [
        "terraform.tfstate",
        "3-primary/terraform.tfstate",
        "3-primary/.terraform/lock",
        "4-recovery/notes.txt",
        "README.md/notes.txt",
        "main.tf",
        "3-primary/main.tf",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    old=st.dictionaries(_NAMES, st.sampled_from(["a\n", "b\n"]), max_size=4),
    user=st.dictionaries(_USER_NAMES, st.sampled_from([b"u\n", b"a\n"]), max_size=4),
    listed=st.dictionaries(PATHS | _USER_NAMES, st.sampled_from(["0" * 64, "f" * 64]), max_size=3),
    new=st.dictionaries(_NAMES, st.sampled_from(["a\n", "c\n"]), min_size=1, max_size=4),
    force=st.booleans(),
)
def test_a_render_never_changes_a_file_it_did_not_write(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    old: dict[str, str],
    user: dict[str, bytes],
    listed: dict[str, str],
    new: dict[str, str],
    force: bool,
) -> None:
    """Whatever the folder holds and whatever extra entries the manifest lists, a user's file
    (one no manifest hash matches) is only ever left exactly as it was."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # speed only: nothing here is killed
    out = tmp_path_factory.mktemp("prop") / "out"
    with contextlib.suppress(DrgenError):
        write_tree(out, old, _manifest(old), force=False)
    for name, data in user.items():
        path = out / name
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(data)
    manifest_path = out / MANIFEST_NAME
    if manifest_path.is_file():
        body = json.loads(manifest_path.read_text(encoding="utf-8"))
        body["files"].update(listed)
        manifest_path.write_text(json.dumps(body), encoding="utf-8")
    recorded = _recorded(manifest_path)
    before = snapshot(out)
    theirs = {
        name: data
        for name, data in before.items()
        if name != MANIFEST_NAME and recorded.get(name) != sha256_as_rendered(data)
    }
    with contextlib.suppress(DrgenError):
        write_tree(out, new, _manifest(new), force=force)
    after = snapshot(out)
    for name, data in theirs.items():
        rendered_over = name in new and name in recorded and force
        same_text = name in new and sha256_as_rendered(data) == sha256_text(new[name])
        if not (rendered_over or same_text):
            assert after.get(name) == data, f"{name} changed"


def _manifest(files: dict[str, str]) -> Manifest:
    return Manifest("test", "spec.yaml", {name: sha256_text(text) for name, text in files.items()})


def _recorded(path: Path) -> dict[str, str]:
    try:
        return parse_manifest(path.read_text(encoding="utf-8")).files
    except (OSError, ValueError):
        return {}
