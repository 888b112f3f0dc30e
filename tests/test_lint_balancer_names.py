"""The load balancer DNS name recogniser behind DR035 and cross-root linking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.lint.topology.balancer_names import BalancerDnsName, balancer_dns_name

# what AWS allows in a load balancer name: letters, digits and hyphens, at most 32, no hyphen
# at either end
NAMES = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?", fullmatch=True)
IDS = st.from_regex(r"[0-9a-f]{8,16}", fullmatch=True)
REGIONS = st.sampled_from(["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "cn-north-1"])


def _dns_name(name: str, lb_id: str, region: str, kind: str, internal: bool) -> str:
    label = f"{'internal-' if internal else ''}{name}-{lb_id}"
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    if kind == "network":
        return f"{label}.elb.{region}.{domain}"
    return f"{label}.{region}.elb.{domain}"


@given(
    NAMES,
    IDS,
    REGIONS,
    st.sampled_from(["application", "classic", "network"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_every_load_balancer_dns_name_gives_back_its_name_and_region(
    name: str, lb_id: str, region: str, kind: str, internal: bool, dualstack: bool, dot: bool
) -> None:
    text = _dns_name(name, lb_id, region, kind, internal)
    text = ("dualstack." if dualstack else "") + text + ("." if dot else "")
    found = balancer_dns_name(text)
    assert found is not None
    assert found.region == region
    assert name.lower() in found.names


@given(st.text())
def test_text_outside_the_elb_domains_is_no_load_balancer_name(text: str) -> None:
    if ".elb." not in text.lower() and not text.lower().startswith("elb."):
        assert balancer_dns_name(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "App-DR-1234567890.us-west-2.elb.amazonaws.com",
            BalancerDnsName(("app-dr",), "us-west-2"),
        ),
        (
            "internal-app-1.eu-west-1.elb.amazonaws.com",
            BalancerDnsName(("internal-app", "app"), "eu-west-1"),
        ),
        (
            "nlb-0123456789abcdef.elb.us-gov-west-1.amazonaws.com",
            BalancerDnsName(("nlb",), "us-gov-west-1"),
        ),
    ],
)
def test_known_shapes(text: str, expected: BalancerDnsName) -> None:
    assert balancer_dns_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "d111111abcdef8.cloudfront.net",
        "example-bucket.s3-website-us-east-1.amazonaws.com",
        "d-abcdef1234.execute-api.us-east-1.amazonaws.com",
        "noid.us-east-1.elb.amazonaws.com",
        "-x-1.us-east-1.elb.amazonaws.com",
        "app-1.elb.amazonaws.com",
    ],
)
def test_other_alias_targets_are_no_load_balancer_names(text: str) -> None:
    assert balancer_dns_name(text) is None
