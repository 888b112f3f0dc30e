"""DR035: a Route 53 alias to a load balancer that no root of the scan declares.

A load balancer's DNS name (drgen/lint/topology/balancer_names.py) carries an id that changes
whenever the load balancer is recreated, and Route 53 refuses to create an alias to a target that
does not exist (one created while it existed keeps answering with the dead name). An alias that
quotes such a name, when no load balancer of any scanned root can have it, points the
failover path at something no code guarantees exists.

Judged on records in a DR context: a failover, weighted or latency routing policy, or a stack
that deploys to two regions. The alias name is decided when every input is known: a literal
(or a variable whose value the scan holds) naming no declared load balancer is a finding; a
reference to a load balancer, a ``data "aws_lb"`` lookup (the plan fails loudly if it is
gone), a module output or a remote state of a scanned root that leads to one is fine. A root
variable the scan gives no value is the operator's input on every apply: fine when a scanned
root outputs a load balancer to feed it (drgen's own DNS root takes the regional roots'
outputs so), otherwise undecided, like a state drgen did not scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import targets, text
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value
from drgen.lint.topology.balancer_names import BALANCER_ZONES, BalancerDnsName, balancer_dns_name
from drgen.lint.topology.links import LOAD_BALANCERS

RECORD = "aws_route53_record"
_DR_ROUTING = ("failover_routing_policy", "weighted_routing_policy", "latency_routing_policy")
_ZONE_LOOKUPS = ("aws_lb_hosted_zone_id", "aws_elb_hosted_zone_id")
# Alias targets that are no load balancer (what Route 53 aliases besides ELB).
_OTHER_TARGETS = (
    "aws_cloudfront_distribution",
    "aws_api_gateway_domain_name",
    "aws_apigatewayv2_domain_name",
    "aws_s3_bucket",
    "aws_s3_bucket_website_configuration",
    "aws_route53_record",
    "aws_globalaccelerator_accelerator",
    "aws_elastic_beanstalk_environment",
    "aws_vpc_endpoint",
    "aws_appsync_domain_name",
    "aws_cognito_user_pool_domain",
)
_GENERATED_PREFIX = "tf-lb-"  # the name Terraform gives a load balancer declared without one
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_VARIABLE = re.compile(r"var\.([A-Za-z_][\w-]*)")


class Target(Enum):
    DECLARED = "declared"  # a load balancer of the stack, or one looked up at plan time
    FED = "fed"  # the operator's input, which a scanned root's load balancer output can feed
    OTHER = "other"  # no load balancer at all
    UNDECLARED = "undeclared"  # a load balancer DNS name no load balancer of the stack has
    UNKNOWN = "unknown"


def check_alias_to_undeclared_balancer(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    two_regions: list[bool | None] = []  # the stack's answer, once a record needs it
    for record in root.of_type(RECORD):
        for alias in nested(record.values, "alias"):
            target, dns = _target(root, record, alias)
            if target in (Target.DECLARED, Target.FED, Target.OTHER):
                continue
            if not _routes(record) and not two_regions:
                two_regions.append(_two_regions(root))
            context = True if _routes(record) else two_regions[0]
            if context is False:
                continue
            if target is Target.UNKNOWN or context is None or dns is None:
                why = _undecided(target, dns)
                yield Violation(
                    record,
                    f"{record.address}: cannot tell whether it aliases a load balancer that "
                    f"no root of the scan declares: {why}",
                    unresolved=True,
                )
                continue
            yield Violation(
                record,
                f"{record.address} aliases {text(alias.get('name'))}, the DNS name of a load "
                f"balancer named {dns.names[-1]} in {dns.region} that no root of the scan "
                "declares or looks up: the name changes when that load balancer is recreated, "
                "and Route 53 rejects an alias to a target that does not exist (or keeps "
                "answering with one that is gone), so the failover path points at something "
                "no code guarantees exists; alias the load balancer's dns_name and zone_id by "
                'reference (its resource, a data "aws_lb" lookup, a module output or a '
                "remote state).",
                line=alias.line_of("name"),
            )


def _undecided(target: Target, dns: BalancerDnsName | None) -> str:
    if target is Target.UNDECLARED:
        return "it has no routing policy and the stack has regions drgen cannot resolve"
    if dns is not None:
        return (
            "a load balancer of the scan whose name or region drgen cannot resolve may be "
            f"the one named {dns.names[-1]} in {dns.region}"
        )
    return (
        "its alias name comes from outside the scan (a caller's input, a state drgen did not read)"
    )


def _target(root: Root, record: Resource, alias: Block) -> tuple[Target, BalancerDnsName | None]:
    name = alias.get("name")
    literal = text(name)
    if literal is not None:
        dns = balancer_dns_name(literal)
        return (_named(root, dns), dns) if dns is not None else (Target.OTHER, None)
    if targets(root, record, name, *LOAD_BALANCERS):
        return Target.DECLARED, None
    target = _by_zone(root, record, alias.get("zone_id"), name)
    if target is Target.UNKNOWN and _operator_input(root, record, name) and _exported(root):
        return Target.FED, None
    return target, None


def _operator_input(root: Root, record: Resource, value: Value) -> bool:
    """Whether ``value`` is a root variable the scan gives no value (the operator passes it on
    every plan and apply), handed down through module calls as written."""
    path = record.module_path
    while isinstance(value, Expression):
        variable = _VARIABLE.fullmatch(value.source.strip())
        call = root.calls.get(path) if path else None
        if variable is None or not path:
            return variable is not None
        if call is None:
            return False
        value, path = call.arguments.get(variable.group(1)), path[:-1]
    return False


def _exported(root: Root) -> bool:
    """Whether a scanned root outputs a load balancer (its DNS name, for another root's
    variables)."""
    for member in root.repository or (root, *root.peers):
        for addresses in member.outputs.values():
            found = (member.by_address(a) for a in addresses)
            if any(r is not None and r.type in LOAD_BALANCERS for r in found):
                return True
    return False


def _by_zone(root: Root, record: Resource, zone: Value, name: Value) -> Target:
    """An alias whose name drgen cannot follow: a load balancer's when its hosted zone is an
    ELB zone, none when the zone is another or the name leads to another kind of target."""
    literal = text(zone)
    if literal is not None:
        return Target.UNKNOWN if literal in BALANCER_ZONES else Target.OTHER
    if targets(root, record, zone, *LOAD_BALANCERS, *_ZONE_LOOKUPS):
        return Target.UNKNOWN
    if targets(root, record, name, *_OTHER_TARGETS):
        return Target.OTHER
    return Target.UNKNOWN


def _named(root: Root, dns: BalancerDnsName) -> Target:
    """Whether a load balancer of the scan (declared, or read by a data source) can have this
    DNS name: the stack's, and those of roots nothing links to it (one whose name drgen cannot
    resolve links nothing, yet may be the one)."""
    balancers = [
        b
        for member in root.repository or (root, *root.peers)
        for b in member.resources
        if b.type in LOAD_BALANCERS
    ]
    answers = {_may_have(b, dns) for b in balancers}
    if True in answers:
        return Target.DECLARED
    return Target.UNKNOWN if None in answers else Target.UNDECLARED


def _may_have(balancer: Resource, dns: BalancerDnsName) -> bool | None:
    if balancer.region is not None and balancer.region != dns.region:
        return False
    named = _name_fits(balancer, dns)
    if named is not True:
        return named
    return True if balancer.region is not None else None


def _name_fits(balancer: Resource, dns: BalancerDnsName) -> bool | None:
    body = balancer.values
    name = body.get("name")
    if name is None and balancer.mode == "data":
        return None  # a lookup by ARN or tags may find any load balancer
    if name is None:
        prefix = body.get("name_prefix", _GENERATED_PREFIX)
        if not isinstance(prefix, str):
            return None
        return any(n.startswith(prefix.lower()) for n in dns.names)
    if isinstance(name, str):
        return name.lower() in dns.names
    if isinstance(name, Expression) and name.shape:
        parts = _PLACEHOLDER.split(name.shape.lower())
        pattern = re.compile("[a-z0-9-]+".join(map(re.escape, parts)))
        return any(pattern.fullmatch(n) for n in dns.names) or False
    return None


def _routes(record: Resource) -> bool:
    return any(nested(record.values, policy) for policy in _DR_ROUTING)


def _two_regions(root: Root) -> bool | None:
    """Whether the stack deploys to two regions (None: some region drgen cannot resolve)."""
    regions = {r.region for m in (root, *root.peers) for r in m.resources if r.mode == "managed"}
    if len(regions - {None}) >= 2:
        return True
    return None if None in regions else False
