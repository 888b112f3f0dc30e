"""Extract a trimmed AWS provider schema from the `.jsii` of @cdktf/provider-aws.

The prebuilt CDKTF bindings describe every resource and data source of one AWS provider
release: a class per type (its docs link names the Terraform type), a `...Config` struct with
the arguments (each documented with a registry link whose anchor is the Terraform name, and
`optional` saying whether it is required), nested structs for blocks, and getters for the
exported attributes. This script turns that into the small JSON the verification suite reads.

Regenerate (see tools/README.md):
    (cd tools/schema && npm ci) && python tools/extract_aws_schema.py
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent
PACKAGE = TOOLS / "schema" / "node_modules" / "@cdktn" / "provider-aws"
OUTPUT = TOOLS / "aws-provider-schema.json"

# Types drgen emits or may emit (prefix match on the Terraform type name).
RESOURCE_PREFIXES = (
    "aws_acm",
    "aws_arcregionswitch",
    "aws_s3",
    "aws_backup",
    "aws_db",
    "aws_rds",
    "aws_dynamodb",
    "aws_kms",
    "aws_iam",
    "aws_route53",
    "aws_lb",
    "aws_autoscaling",
    "aws_launch_template",
    "aws_ami",
    "aws_resiliencehub",
    "aws_security_group",
    "aws_vpc_security_group",
    "aws_cloudwatch",
    "aws_sns",
    "aws_secretsmanager",
)
# Data sources: the ones above by prefix, plus these lookups.
DATA_SOURCES = frozenset(
    {
        "aws_vpc",
        "aws_subnet",
        "aws_subnets",
        "aws_iam_policy_document",
        "aws_caller_identity",
        "aws_region",
        "aws_partition",
        "aws_availability_zones",
    }
)
MAX_BLOCK_DEPTH = 12  # CDKTF bindings stop well before this; guards against cycles

_TYPE_LINK = re.compile(
    r"\{@link https://registry\.terraform\.io/providers/hashicorp/aws/([0-9.]+)/docs/"
    r"(resources|data-sources)/[a-z0-9_]+ (aws_[a-z0-9_]+)\}"
)
_QUOTED_NAME = re.compile(r"['\"]([a-z][a-z0-9_]*)['\"]")
_ARGUMENT_ANCHOR = re.compile(r"\{@link https://registry\.terraform\.io/\S+#([a-z0-9_]+) ")


def snake_case(camel: str) -> str:
    """CDKTF's property name back to Terraform's: ``bucketRegionalDomainName`` -> snake."""
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), camel)


@dataclass
class Extractor:
    package: Path
    types: dict[str, Any]
    unverified: list[str]

    def struct_fqn(self, type_ref: dict[str, Any]) -> tuple[str, bool] | None:
        """The struct a property holds and whether it is a list, or None for a plain value."""
        if "union" in type_ref:
            for member in type_ref["union"]["types"]:
                found = self.struct_fqn(member)
                if found:
                    return found
            return None
        if "collection" in type_ref:
            collection = type_ref["collection"]
            inner = self.struct_fqn(collection["elementtype"])
            if inner and collection["kind"] == "array":
                return inner[0], True
            return None  # a map of objects is an attribute, not a block
        fqn = type_ref.get("fqn", "")
        declared = self.types.get(fqn)
        if declared and declared["kind"] == "interface" and declared.get("datatype"):
            return fqn, False
        return None

    def body(self, struct_fqn: str, depth: int = 0) -> dict[str, Any]:
        """Arguments (name -> "required"/"optional") and nested blocks of a struct."""
        if depth > MAX_BLOCK_DEPTH:
            raise RuntimeError(f"block nesting deeper than {MAX_BLOCK_DEPTH} at {struct_fqn}")
        arguments: dict[str, str] = {}
        blocks: dict[str, Any] = {}
        for prop in self.types[struct_fqn].get("properties", []):
            name = self.terraform_name(prop)
            required = not prop.get("optional", False)
            nested = self.struct_fqn(prop["type"])
            if nested:
                block = self.body(nested[0], depth + 1)
                blocks[name] = {"list": nested[1], "required": required, **block}
            else:
                arguments[name] = "required" if required else "optional"
        return {
            "arguments": dict(sorted(arguments.items())),
            "blocks": dict(sorted(blocks.items())),
        }

    def terraform_name(self, prop: dict[str, Any]) -> str:
        docs = prop.get("docs", {})
        match = _ARGUMENT_ANCHOR.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
        derived = snake_case(prop["name"])
        if match:
            return match.group(1)
        self.unverified.append(f"{prop['name']} -> {derived}")
        return derived

    def attributes(self, cls: dict[str, Any], config_names: dict[str, str]) -> list[str]:
        """Exported attributes: every getter that is not static and not an ``...Input`` twin."""
        quoted = set(_QUOTED_NAME.findall(self.class_source(cls)))
        names = set()
        for prop in cls.get("properties", []):
            if prop.get("static") or prop["name"].endswith("Input"):
                continue
            name = config_names.get(prop["name"]) or snake_case(prop["name"])
            if name not in quoted:
                # the JS reads the attribute by its Terraform name: pick the one that
                # camel-cases to this getter (``checksum_crc32c`` for ``checksumCrc32C``)
                folded = prop["name"].lower()
                candidates = [q for q in quoted if q.replace("_", "") == folded]
                if len(candidates) == 1:
                    name = candidates[0]
                else:
                    self.unverified.append(f"{cls['name']}.{prop['name']} -> {name}")
            names.add(name)
        return sorted(names)

    def class_source(self, cls: dict[str, Any]) -> str:
        """The compiled JavaScript of a binding class (it names attributes as Terraform does)."""
        ts_path: str = cls["locationInModule"]["filename"]  # "src/s3-bucket/index.ts"
        module = ts_path.removeprefix("src/").removesuffix(".ts")
        return (self.package / "lib" / f"{module}.js").read_text(encoding="utf-8")

    def type_schema(self, cls: dict[str, Any]) -> dict[str, Any]:
        params = cls["initializer"]["parameters"]
        config_fqn = next(p["type"]["fqn"] for p in params if p["name"] == "config")
        config = self.types[config_fqn]
        schema = self.body(config_fqn)
        config_names = {
            prop["name"]: self.terraform_name(prop) for prop in config.get("properties", [])
        }
        return {**schema, "attributes": self.attributes(cls, config_names)}


def wanted(kind: str, name: str) -> bool:
    return name.startswith(RESOURCE_PREFIXES) or (kind == "data-sources" and name in DATA_SOURCES)


def extract(package: Path) -> tuple[dict[str, Any], list[str]]:
    """The trimmed schema, and the names the bindings could not confirm (should be none)."""
    assembly = json.loads((package / ".jsii").read_text(encoding="utf-8"))
    extractor = Extractor(package=package, types=assembly["types"], unverified=[])
    out: dict[str, dict[str, Any]] = {"resources": {}, "data-sources": {}}
    versions = set()
    for fqn in sorted(assembly["types"]):
        cls = assembly["types"][fqn]
        match = _TYPE_LINK.match(
            cls.get("docs", {}).get("summary", "").removeprefix("Represents a ")
        )
        if cls["kind"] != "class" or not match:
            continue
        version, kind, name = match.groups()
        versions.add(version)
        if wanted(kind, name):
            out[kind][name] = extractor.type_schema(cls)
    if len(versions) != 1:
        raise RuntimeError(f"expected one provider version in the bindings, found {versions}")
    schema = {
        "provider": "registry.terraform.io/hashicorp/aws",
        "provider_version": versions.pop(),
        "source": f"{assembly['name']}@{assembly['version']}",
        "resource_prefixes": list(RESOURCE_PREFIXES),
        "resources": dict(sorted(out["resources"].items())),
        "data_sources": dict(sorted(out["data-sources"].items())),
    }
    return schema, extractor.unverified


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=PACKAGE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not (args.package / ".jsii").is_file():
        print(f"{args.package}/.jsii not found: run `cd tools/schema && npm ci`", file=sys.stderr)
        return 2
    schema, unverified = extract(args.package)
    for line in unverified:
        print(f"warning: name not confirmed by the bindings: {line}", file=sys.stderr)
    args.output.write_text(json.dumps(schema, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(
        f"wrote {args.output.name}: AWS provider {schema['provider_version']}, "
        f"{len(schema['resources'])} resources, {len(schema['data_sources'])} data sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
