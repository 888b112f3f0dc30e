"""tools/aws_provider_versions.py: the bisection finds each feature's first release, and the
committed data agrees with the committed schema."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .toolchain import TOOLS


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "aws_provider_versions", TOOLS / "aws_provider_versions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


@given(st.dictionaries(st.sampled_from("abcdefghij"), st.integers(0, 12), max_size=10))
def test_bisection_finds_the_first_release_of_every_feature(first: dict[str, int]) -> None:
    releases = [f"6.{n}.0" for n in range(13)]
    probed: list[int] = []

    def features_of(index: int) -> set[str]:
        probed.append(index)
        return {feature for feature, since in first.items() if since <= index}

    found, indexes = TOOL.first_releases(releases, features_of)
    assert found == first
    assert indexes == sorted(set(probed))


def test_bisection_probes_only_the_two_ends_when_nothing_changed() -> None:
    _, probed = TOOL.first_releases([f"6.{n}.0" for n in range(30)], lambda _: {"a"})
    assert probed == [0, 29]


def test_features_name_arguments_and_nested_blocks() -> None:
    body = {
        "arguments": {"name": "required"},
        "blocks": {"replica": {"arguments": {"region_name": "required"}, "blocks": {}}},
    }
    assert TOOL.body_features("resource.t", body) == {
        "resource.t.name",
        "resource.t.replica",
        "resource.t.replica.region_name",
    }


def test_committed_data_matches_the_committed_schema() -> None:
    data = json.loads((TOOLS / "aws-provider-versions.json").read_text(encoding="utf-8"))
    schema = json.loads((TOOLS / "aws-provider-schema.json").read_text(encoding="utf-8"))
    assert data["newest"] == schema["provider_version"]
    assert data["resource_prefixes"] == schema["resource_prefixes"]
    releases = data["releases_with_bindings"]
    assert releases == [release for _, release in TOOL.BINDINGS]
    for feature, entry in data["since"].items():
        if entry.get("source") == "CHANGELOG":  # inside a gap between bindings
            after = releases.index(entry["after"])
            keys = TOOL.CHANGELOG_FIRST_RELEASES
            assert any(feature == k or feature.startswith(k + ".") for k in keys), feature
            assert _release(entry["after"]) < _release(entry["version"]), feature
            assert _release(entry["version"]) <= _release(releases[after + 1]), feature
            continue
        index = releases.index(entry["version"])
        assert index > 0 and releases[index - 1] == entry["after"], feature
        kind, type_name, *_ = feature.split(".")
        section = "resources" if kind == "resource" else "data_sources"
        assert type_name in schema[section], feature


@pytest.mark.parametrize(
    ("feature", "version"),
    [  # the 6.9.0 of issue 11; ARC Region Switch: 6.29.0 (CHANGELOG, inside the 6.25-6.40 gap)
        ("resource.aws_dynamodb_table.replica.deletion_protection_enabled", "6.9.0"),
        ("resource.aws_arcregionswitch_plan", "6.29.0"),
        ("resource.aws_arcregionswitch_plan.workflow.step.global_aurora_config", "6.29.0"),
        (
            "resource.aws_arcregionswitch_plan.workflow.step.rds_promote_read_replica_config",
            "6.64.0",
        ),
    ],
)
def test_known_first_releases(feature: str, version: str) -> None:
    data = json.loads((TOOLS / "aws-provider-versions.json").read_text(encoding="utf-8"))
    assert data["since"][feature]["version"] == version


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_changelog_releases_narrow_only_what_shipped_with_the_type() -> None:
    since = {
        "resource.aws_x": {"version": "6.40.0", "after": "6.25.0"},
        "resource.aws_x.a": {"version": "6.40.0", "after": "6.25.0"},
        "resource.aws_x.b": {"version": "6.64.0", "after": "6.45.0"},
        "resource.aws_xy": {"version": "6.40.0", "after": "6.25.0"},
    }
    original = dict(TOOL.CHANGELOG_FIRST_RELEASES)
    try:
        TOOL.CHANGELOG_FIRST_RELEASES.clear()
        TOOL.CHANGELOG_FIRST_RELEASES["resource.aws_x"] = "6.29.0"
        narrowed = TOOL.narrow_by_changelog(since)
        TOOL.CHANGELOG_FIRST_RELEASES["resource.aws_x"] = "6.41.0"
        with pytest.raises(RuntimeError, match="outside"):
            TOOL.narrow_by_changelog(since)
    finally:
        TOOL.CHANGELOG_FIRST_RELEASES.clear()
        TOOL.CHANGELOG_FIRST_RELEASES.update(original)
    assert narrowed["resource.aws_x"]["version"] == narrowed["resource.aws_x.a"]["version"]
    assert narrowed["resource.aws_x.a"] == {"version": "6.29.0", "after": "6.25.0",
                                            "source": "CHANGELOG"}  # fmt: skip
    assert narrowed["resource.aws_x.b"] == since["resource.aws_x.b"]
    assert narrowed["resource.aws_xy"] == since["resource.aws_xy"]  # a prefix is not a type
