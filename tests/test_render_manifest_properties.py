"""Property tests: whatever a manifest holds, drgen accepts only paths inside the tree."""

from __future__ import annotations

import contextlib
import json
import posixpath
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from drgen import bounded_json
from drgen.render.journal import parse_journal
from drgen.render.manifest import Manifest, ManifestError, check_tree_path, parse_manifest

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
