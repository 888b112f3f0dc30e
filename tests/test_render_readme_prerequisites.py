"""The rendered README tells the operator what the account needs before the first apply."""

from __future__ import annotations

import pytest

from drgen.domain import AWS_REGIONS, OPT_IN_REGIONS
from drgen.render import render_spec
from tests.render_support import make_spec

_ENABLE = "aws account enable-region --region-name {}"
_STATUS = "aws account get-region-opt-status --region-name {} --query RegionOptStatus"


def test_opt_in_regions_are_aws_regions_of_the_commercial_partition() -> None:
    assert OPT_IN_REGIONS <= AWS_REGIONS
    assert not {r for r in OPT_IN_REGIONS if r.startswith(("cn-", "us-gov-"))}
    assert {"ap-southeast-4", "me-central-1", "af-south-1"} <= OPT_IN_REGIONS
    assert not OPT_IN_REGIONS & {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [("ap-southeast-2", "ap-southeast-4"), ("me-central-1", "eu-central-2")],
)
def test_every_opt_in_region_of_the_spec_is_a_prerequisite(primary: str, secondary: str) -> None:
    spec = make_spec(regions={"primary": primary, "secondary": secondary})
    readme = render_spec(spec).files["README.md"]
    prerequisites = readme.split("## Prerequisites", 1)[1].split("\n## ", 1)[0]
    for region in (primary, secondary):
        expected = region in OPT_IN_REGIONS
        assert (_ENABLE.format(region) in prerequisites) is expected, region
        assert (_STATUS.format(region) in prerequisites) is expected, region


def test_default_regions_need_no_enabling() -> None:
    readme = render_spec(make_spec()).files["README.md"]
    assert "enable-region" not in readme
