"""Find, per resource type, argument and nested block, the first AWS provider 6.x that has it.

The prebuilt bindings (`@cdktf/provider-aws` 21.x for 6.0-6.25, `@cdktn/provider-aws` after
that) each describe one provider release in their `.jsii`. This script reads the trimmed
schema of several of them (the types `extract_aws_schema.py` keeps) and bisects: between two
releases whose feature sets agree on what the newest release has, nothing new appeared, so only
intervals where something was added are split further. Only the packages the bisection needs are
downloaded (`npm pack`, into a cache outside the repository; each feature set is cached as JSON).

Assumes a feature that exists in two releases existed in every release between them (the
provider removes things only at major versions). A release without published bindings cannot be
probed: the first version found is the first *published bindings* release that has the feature;
`after` names the previous one, so the true first release lies in (after, version]; where the
provider's CHANGELOG names it (``CHANGELOG_FIRST_RELEASES``), that release is used instead and
the entry says ``"source": "CHANGELOG"``.

Regenerate (see tools/README.md):
    python tools/aws_provider_versions.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

TOOLS = Path(__file__).resolve().parent
OUTPUT = TOOLS / "aws-provider-versions.json"
CACHE = Path.home() / ".cache" / "drgen-aws-provider-versions"

# Every published 6.x binding, oldest first: (npm package, AWS provider release it carries).
# From `npm view @cdktf/provider-aws@21 cdktf.provider.version` and
# `npm view @cdktn/provider-aws cdktn.provider.version`; each probe checks the release in the
# package's registry links against this table.
BINDINGS: tuple[tuple[str, str], ...] = (
    ("@cdktf/provider-aws@21.0.0", "6.0.0"),
    ("@cdktf/provider-aws@21.1.0", "6.2.0"),
    ("@cdktf/provider-aws@21.2.0", "6.3.0"),
    ("@cdktf/provider-aws@21.3.0", "6.4.0"),
    ("@cdktf/provider-aws@21.4.0", "6.5.0"),
    ("@cdktf/provider-aws@21.5.0", "6.6.0"),
    ("@cdktf/provider-aws@21.6.0", "6.7.0"),
    ("@cdktf/provider-aws@21.7.0", "6.8.0"),
    ("@cdktf/provider-aws@21.8.0", "6.9.0"),
    ("@cdktf/provider-aws@21.9.0", "6.10.0"),
    ("@cdktf/provider-aws@21.9.1", "6.11.0"),
    ("@cdktf/provider-aws@21.10.0", "6.12.0"),
    ("@cdktf/provider-aws@21.10.1", "6.13.0"),
    ("@cdktf/provider-aws@21.11.0", "6.14.0"),
    ("@cdktf/provider-aws@21.11.1", "6.14.1"),
    ("@cdktf/provider-aws@21.12.0", "6.15.0"),
    ("@cdktf/provider-aws@21.13.0", "6.16.0"),
    ("@cdktf/provider-aws@21.14.0", "6.17.0"),
    ("@cdktf/provider-aws@21.15.0", "6.18.0"),
    ("@cdktf/provider-aws@21.16.0", "6.19.0"),
    ("@cdktf/provider-aws@21.17.0", "6.20.0"),
    ("@cdktf/provider-aws@21.18.0", "6.21.0"),
    ("@cdktf/provider-aws@21.19.0", "6.22.1"),
    ("@cdktf/provider-aws@21.20.0", "6.23.0"),
    ("@cdktf/provider-aws@21.21.0", "6.24.0"),
    ("@cdktf/provider-aws@21.22.0", "6.25.0"),
    ("@cdktn/provider-aws@23.7.0", "6.40.0"),
    ("@cdktn/provider-aws@24.1.0", "6.45.0"),
    ("@cdktn/provider-aws@25.5.0", "6.64.0"),
    ("@cdktn/provider-aws@25.7.0", "6.66.0"),
)

# Types that first appeared between two published bindings, with the release the provider's
# CHANGELOG names ("New Resource:" / "New Data Source:" lines). The type and every argument
# or block first seen in the same binding as the type get that release: they shipped with it.
CHANGELOG_FIRST_RELEASES: dict[str, str] = {
    "resource.aws_arcregionswitch_plan": "6.29.0",  # CHANGELOG 6.29.0, #43781
    "data.aws_arcregionswitch_plan": "6.29.0",
    "data.aws_arcregionswitch_route53_health_checks": "6.29.0",
}


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def narrow_by_changelog(since: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """``since`` with the CHANGELOG's first releases for types found after a binding gap."""
    narrowed = dict(since)
    for type_key, release in CHANGELOG_FIRST_RELEASES.items():
        found = since[type_key]
        if not _release(found["after"]) < _release(release) <= _release(found["version"]):
            raise RuntimeError(f"{type_key}: CHANGELOG {release} is outside {found}")
        for feature, entry in since.items():
            shipped_with_type = feature == type_key or feature.startswith(type_key + ".")
            if shipped_with_type and entry == found:
                narrowed[feature] = {**entry, "version": release, "source": "CHANGELOG"}
    return narrowed


def _extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_aws_schema", TOOLS / "extract_aws_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def body_features(prefix: str, body: dict[str, Any]) -> set[str]:
    """``prefix.arg`` for each argument and ``prefix.block`` (recursively) for each block."""
    found = {f"{prefix}.{name}" for name in body["arguments"]}
    for name, block in body["blocks"].items():
        found.add(f"{prefix}.{name}")
        found |= body_features(f"{prefix}.{name}", block)
    return found


def schema_features(schema: dict[str, Any]) -> set[str]:
    """Feature keys: ``resource.TYPE[.path]`` and ``data.TYPE[.path]``."""
    found: set[str] = set()
    for kind, section in (("resource", "resources"), ("data", "data_sources")):
        for name, body in schema[section].items():
            found.add(f"{kind}.{name}")
            found |= body_features(f"{kind}.{name}", body)
    return found


def jsii_features(jsii: Path) -> tuple[str, set[str]]:
    """The provider release and features of one `.jsii` (arguments and blocks, no attributes)."""
    module = _extractor()
    assembly = json.loads(jsii.read_text(encoding="utf-8"))
    extractor = module.Extractor(package=jsii.parent, types=assembly["types"], unverified=[])
    schema: dict[str, Any] = {"resources": {}, "data_sources": {}}
    versions = set()
    for cls in assembly["types"].values():
        summary = cls.get("docs", {}).get("summary", "").removeprefix("Represents a ")
        match = module._TYPE_LINK.match(summary)
        if cls["kind"] != "class" or not match:
            continue
        version, kind, name = match.groups()
        versions.add(version)
        if module.wanted(kind, name):
            params = cls["initializer"]["parameters"]
            config = next(p["type"]["fqn"] for p in params if p["name"] == "config")
            section = "resources" if kind == "resources" else "data_sources"
            schema[section][name] = extractor.body(config)
    if len(versions) != 1:
        raise RuntimeError(f"{jsii}: expected one provider release, found {versions}")
    return versions.pop(), schema_features(schema)


def download_features(package: str, release: str, cache: Path) -> set[str]:
    """Features of one binding package, from the cache or by `npm pack` (only its `.jsii`)."""
    cached = cache / f"{package.replace('/', '+')}.json"
    if cached.is_file():
        return set(json.loads(cached.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        packed = subprocess.run(
            ["npm", "pack", "--silent", package, "--pack-destination", str(work)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        with tarfile.open(work / packed) as archive:
            archive.extract("package/.jsii", work, filter="data")
        found_release, features = jsii_features(work / "package" / ".jsii")
    if found_release != release:
        raise RuntimeError(f"{package} carries AWS provider {found_release}, not {release}")
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(sorted(features)), encoding="utf-8")
    return features


def first_releases(
    releases: list[str], features_of: Callable[[int], set[str]]
) -> tuple[dict[str, int], list[int]]:
    """Index of the first release having each feature of the newest; the indexes probed."""
    probed: set[int] = set()

    def probe(index: int) -> set[str]:
        probed.add(index)
        return features_of(index)

    newest = probe(len(releases) - 1)
    first = {feature: 0 for feature in newest & probe(0)}

    def split(low: int, high: int, added: set[str]) -> None:
        # every feature in `added` is absent at `low` and present at `high`
        if not added:
            return
        if high == low + 1:
            first.update(dict.fromkeys(added, high))
            return
        middle = (low + high) // 2
        present = probe(middle) & added
        split(low, middle, present)
        split(middle, high, added - present)

    split(0, len(releases) - 1, newest - first.keys())
    return first, sorted(probed)


def build(cache: Path) -> dict[str, Any]:
    releases = [release for _, release in BINDINGS]
    first, probed = first_releases(
        releases, lambda index: download_features(*BINDINGS[index], cache)
    )
    baseline = releases[0]
    since = narrow_by_changelog(
        {
            feature: {"version": releases[index], "after": releases[index - 1]}
            for feature, index in sorted(first.items())
            if index > 0
        }
    )
    return {
        "provider": "registry.terraform.io/hashicorp/aws",
        "baseline": baseline,
        "newest": releases[-1],
        "resource_prefixes": list(_extractor().RESOURCE_PREFIXES),
        "probed": [BINDINGS[index][0] for index in probed],
        "releases_with_bindings": releases,
        "since": since,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.cache)
    args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {args.output.name}: {len(data['since'])} features newer than "
        f"{data['baseline']}, {len(data['probed'])} of {len(BINDINGS)} bindings probed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
