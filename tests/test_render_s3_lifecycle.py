"""Both regions' buckets expire noncurrent versions (they would otherwise be kept, and billed,
forever) after moving them to Glacier, and abort incomplete multipart uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest

from drgen.render import render_spec
from tests.fixtures.specs.support import edited, errors_of, only, sample_text, write_spec
from tests.render_support import make_spec

_BUCKET_FILES = ("3-primary/s3_assets.tf", "2-recovery-storage/s3_assets.tf")


def _lifecycle_rule(text: str) -> dict[str, Any]:
    for block in hcl2.loads(text)["resource"]:
        for address, body in block.get('"aws_s3_bucket_lifecycle_configuration"', {}).items():
            (rule,) = body["rule"]
            assert address.strip('"').startswith("assets_")
            return dict(rule)
    raise AssertionError("no lifecycle configuration")


def _days(rule: dict[str, Any], block: str, key: str) -> int:
    (body,) = rule[block]
    return int(body[key])


@pytest.mark.parametrize("write_mode", [None, "write-origin"])
@pytest.mark.parametrize("path", _BUCKET_FILES)
def test_noncurrent_versions_expire_after_glacier_minimum_in_both_regions(
    path: str, write_mode: str | None
) -> None:
    pattern = "active-active" if write_mode else "warm-standby"
    spec = make_spec(
        pattern=pattern,
        write_mode=write_mode,
        data=[{"type": "s3", "name": "assets", "glacier_after_days": 30}],
    )
    rule = _lifecycle_rule(render_spec(spec).files[path])
    assert _days(rule, "noncurrent_version_transition", "noncurrent_days") == 30
    assert _days(rule, "noncurrent_version_expiration", "noncurrent_days") == 30 + 90
    assert _days(rule, "abort_incomplete_multipart_upload", "days_after_initiation") == 7


@pytest.mark.parametrize("path", _BUCKET_FILES)
def test_the_spec_sets_the_noncurrent_expiration(path: str) -> None:
    store = {"type": "s3", "name": "assets", "noncurrent_expire_after_days": 400}
    rule = _lifecycle_rule(render_spec(make_spec(data=[store])).files[path])
    assert _days(rule, "noncurrent_version_transition", "noncurrent_days") == 90
    assert _days(rule, "noncurrent_version_expiration", "noncurrent_days") == 400


def test_expiration_before_the_glacier_move_is_a_located_error(tmp_path: Path) -> None:
    text = edited(
        sample_text(),
        "    glacier_after_days: 90\n",
        "    glacier_after_days: 90\n    noncurrent_expire_after_days: 90\n",
    )
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.data[0].noncurrent_expire_after_days"
    assert "S3 refuses" in problem.message
    assert problem.hint is not None and "more than 90 days" in problem.hint


def test_only_s3_stores_take_a_noncurrent_expiration(tmp_path: Path) -> None:
    text = edited(
        sample_text(),
        "    hash_key: id\n",
        "    hash_key: id\n    noncurrent_expire_after_days: 9\n",
    )
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.data[1].noncurrent_expire_after_days"
