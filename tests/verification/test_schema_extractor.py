"""tools/extract_aws_schema.py on a tiny synthetic `.jsii` shaped like the CDKTF bindings."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .toolchain import TOOLS

REGISTRY = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs"


def _extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_aws_schema", TOOLS / "extract_aws_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


def _prop(name: str, anchor: str | None, type_: dict[str, Any], optional: bool = True) -> Any:
    docs = {"summary": f"Docs at Terraform Registry: {{@link {REGISTRY}/resources/x#{anchor} X}}."}
    return {"name": name, "optional": optional, "type": type_, "docs": docs if anchor else {}}


def _struct(fqn: str, *props: Any) -> dict[str, Any]:
    return {"kind": "interface", "datatype": True, "fqn": fqn, "properties": list(props)}


STRING = {"primitive": "string"}


def _assembly() -> dict[str, Any]:
    rule_list = {"collection": {"kind": "array", "elementtype": {"fqn": "p.b.Rule"}}}
    return {
        "name": "@cdktf/provider-aws",
        "version": "21.0.0",
        "types": {
            "p.b.S3Bucket": {
                "kind": "class",
                "name": "S3Bucket",
                "docs": {
                    "summary": f"Represents a {{@link {REGISTRY}/resources/s3_bucket "
                    "aws_s3_bucket}."
                },
                "locationInModule": {"filename": "src/s3-bucket/index.ts"},
                "initializer": {"parameters": [{"name": "config", "type": {"fqn": "p.b.Config"}}]},
                "properties": [
                    {"name": "tfResourceType", "static": True},
                    {"name": "arn"},
                    {"name": "checksumCrc32C"},
                    {"name": "fetchPasswordData"},
                    {"name": "fetchPasswordDataInput"},
                ],
            },
            "p.b.Config": _struct(
                "p.b.Config",
                _prop("bucket", "bucket", STRING, optional=False),
                _prop("fetchPasswordData", "get_password_data", STRING),
                _prop("versioning", "versioning", {"fqn": "p.b.Versioning"}),
                _prop(
                    "rule",
                    "rule",
                    {"union": {"types": [{"fqn": "cdktf.IResolvable"}, rule_list]}},
                    optional=False,
                ),
            ),
            "p.b.Versioning": _struct("p.b.Versioning", _prop("enabled", "enabled", STRING)),
            "p.b.Rule": _struct("p.b.Rule", _prop("status", "status", STRING, optional=False)),
            "p.other.Ec2Instance": {
                "kind": "class",
                "docs": {
                    "summary": f"Represents a {{@link {REGISTRY}/resources/instance aws_instance}}."
                },
            },
        },
    }


@pytest.fixture
def package(tmp_path: Path) -> Path:
    (tmp_path / ".jsii").write_text(json.dumps(_assembly()), encoding="utf-8")
    js = tmp_path / "lib" / "s3-bucket" / "index.js"
    js.parent.mkdir(parents=True)
    js.write_text(
        "return this.getStringAttribute('arn'); this.getStringAttribute('checksum_crc32c');"
        " this.getStringAttribute('get_password_data'); 'bucket'",
        encoding="utf-8",
    )
    return tmp_path


def test_extracts_names_from_anchors_blocks_and_attributes(package: Path) -> None:
    schema, unverified = _extractor().extract(package)
    assert unverified == []
    assert schema["provider_version"] == "6.25.0"
    assert schema["source"] == "@cdktf/provider-aws@21.0.0"
    assert list(schema["resources"]) == ["aws_s3_bucket"]  # aws_instance is not kept
    bucket = schema["resources"]["aws_s3_bucket"]
    assert bucket["arguments"] == {"bucket": "required", "get_password_data": "optional"}
    assert bucket["blocks"] == {
        "rule": {
            "list": True,
            "required": True,
            "arguments": {"status": "required"},
            "blocks": {},
        },
        "versioning": {
            "list": False,
            "required": False,
            "arguments": {"enabled": "optional"},
            "blocks": {},
        },
    }
    # getters: static and ...Input twins are not attributes; names confirmed against the JS
    assert bucket["attributes"] == ["arn", "checksum_crc32c", "get_password_data"]


def test_reports_names_it_cannot_confirm(package: Path) -> None:
    (package / "lib" / "s3-bucket" / "index.js").write_text("'arn'", encoding="utf-8")
    _, unverified = _extractor().extract(package)
    assert unverified == [
        "S3Bucket.checksumCrc32C -> checksum_crc32_c",
        "S3Bucket.fetchPasswordData -> get_password_data",
    ]


def test_committed_schema_is_for_aws_provider_v6() -> None:
    committed = json.loads((TOOLS / "aws-provider-schema.json").read_text(encoding="utf-8"))
    assert committed["provider_version"].startswith("6.")
    assert {
        "aws_s3_bucket",
        "aws_backup_plan",
        "aws_route53_record",
        "aws_arcregionswitch_plan",  # the failover plan of the 0.2 layout: 6.25 lacks it
    } <= committed["resources"].keys()
    assert "aws_iam_policy_document" in committed["data_sources"]
