"""checkov's port checks (CKV_AWS_24/25/260) read an ingress rule whose source is a security
group as open to 0.0.0.0/0 (they know cidr_ipv4, not referenced_security_group_id): the rule
from the load balancer to the servers carries a skip with that reason on exactly those ports."""

from __future__ import annotations

import re

import pytest

from drgen.render import render_spec
from tests.render_support import make_spec

_RULE = re.compile(
    r'resource "aws_vpc_security_group_ingress_rule" "(app_\w+_from_alb)" \{\n(.*?)\n\}', re.S
)


def _balancer_rules(port: int) -> dict[str, str]:
    compute = {"ami": "ami-0abc1234def567890", "instance_type": "t3.small", "min": 2, "max": 6}
    files = render_spec(make_spec(compute={**compute, "port": port})).files
    rules = {
        name: body
        for root in ("3-primary", "4-recovery")
        for name, body in _RULE.findall(files[f"{root}/compute.tf"])
    }
    assert sorted(rules) == ["app_primary_from_alb", "app_secondary_from_alb"]
    return rules


@pytest.mark.parametrize(
    ("port", "check"), [(80, "CKV_AWS_260"), (22, "CKV_AWS_24"), (3389, "CKV_AWS_25")]
)
def test_the_port_check_is_skipped_on_the_balancer_rule_with_a_reason(
    port: int, check: str
) -> None:
    for body in _balancer_rules(port).values():
        assert f"#checkov:skip={check}:the source is the load balancer's security group" in body
        assert "referenced_security_group_id = aws_security_group.alb_" in body
        assert "cidr_ipv4" not in body


@pytest.mark.parametrize("port", [8080, 443, 81])
def test_no_skip_on_other_ports(port: int) -> None:
    for body in _balancer_rules(port).values():
        assert "checkov:skip" not in body
