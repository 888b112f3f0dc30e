"""DR027: load balancers in two regions and nothing that moves clients between them.

A stack (a root with the roots linked to it) that runs internet-facing load balancers in two
or more regions has a recovery region for its traffic only if something sends clients there
when the primary fails: a Route 53 record with a routing policy (failover, weighted, latency,
geolocation, geoproximity, CIDR or multivalue answers), a Global Accelerator endpoint group,
Route 53 ARC routing controls, or a CloudFront origin group. They are looked for in every root
of the repository (DNS often lives in a root of its own, fed the load balancers' names by
variables). With none of them the DR region's load balancer serves nobody until someone
changes DNS by hand. A module call of the stack drgen did not analyse may hold such a
record: the stack is then undecided.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import text, truth
from drgen.lint.checks.sides import location, sides
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root
from drgen.lint.topology.links import LOAD_BALANCERS

RECORD = "aws_route53_record"
_ROUTING_BLOCKS = (
    "failover_routing_policy",
    "weighted_routing_policy",
    "latency_routing_policy",
    "geolocation_routing_policy",
    "geoproximity_routing_policy",
    "cidr_routing_policy",
)
# Resources that steer clients between regions whatever their arguments.
_STEERING = (
    "aws_globalaccelerator_endpoint_group",
    "aws_globalaccelerator_custom_routing_endpoint_group",
    "aws_route53recoverycontrolconfig_routing_control",
)
_DISTRIBUTION = "aws_cloudfront_distribution"


def check_load_balancers_without_dns_failover(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    members = [root, *root.peers]
    balancers = [b for m in members for b in m.of_type(*LOAD_BALANCERS) if _public(b) is True]
    regions = sorted({b.region for b in balancers if b.region is not None})
    own = [b for b in root.of_type(*LOAD_BALANCERS) if any(b is o for o in balancers)]
    if len(regions) < 2 or not own:
        return
    steering = _steering(root, members)
    if steering is True:
        return
    primary = sides(root).primary
    if any(location(b) in primary for b in balancers):
        own = [b for b in own if location(b) in primary]
    for balancer in own:
        if steering is None:
            yield Violation(
                balancer,
                f"{balancer.address}: cannot tell whether anything routes clients between "
                f"the load balancers in {', '.join(regions)} (a module call drgen did not "
                "analyse, or a record whose routing it cannot read)",
                unresolved=True,
            )
            continue
        yield Violation(
            balancer,
            f"{balancer.address} ({balancer.region or location(balancer)}) is one of the "
            f"internet-facing load balancers in {', '.join(regions)}, and no Route 53 routing "
            "policy, Global Accelerator or ARC routing control sends clients to another "
            "region when it fails: the recovery region serves nobody until someone changes "
            "DNS by hand; add Route 53 failover records (PRIMARY with a health check on this "
            "load balancer, SECONDARY on the recovery region's) or a Global Accelerator.",
        )


def _public(balancer: Resource) -> bool | None:
    """Internet-facing: not ``internal`` (a gateway load balancer never faces clients)."""
    if text(balancer.values.get("load_balancer_type")) == "gateway":
        return False
    internal = truth(balancer.values.get("internal"))
    return None if internal is None else not internal


def _steering(root: Root, members: list[Root]) -> bool | None:
    """Whether something in the repository routes clients between regions (None: cannot
    tell, as when a module call of the stack was not analysed)."""
    answers: set[bool | None] = {None for m in members if m.not_analysed}
    for member in root.repository or members:
        if member.of_type(*_STEERING):
            return True
        for record in member.of_type(RECORD):
            answers.add(_routes(record))
        for distribution in member.of_type(_DISTRIBUTION):
            if nested(distribution.values, "origin_group"):
                return True
    if True in answers:
        return True
    return None if None in answers else False


def _routes(record: Resource) -> bool | None:
    body = record.values
    if any(nested(body, name) for name in _ROUTING_BLOCKS):
        return True
    return truth(body.get("multivalue_answer_routing_policy"))
