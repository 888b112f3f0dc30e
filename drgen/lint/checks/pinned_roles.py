"""DR036: a role that a recovery-region workload uses, allowed its regional data only by ARNs of
another region.

IAM is global: one role often serves the workload of both regions (a Lambda function, an ECS
task, an EC2 instance profile, a state machine, an EventBridge or Scheduler target). Regional
resources are allowed by ARN and an ARN names its region: ``dynamodb:GetItem`` on
``arn:aws:dynamodb:us-east-1:...:table/orders`` does not allow the replica in us-west-2. A
workload in a region that holds the stack's copies (the recovery side, checks/sides.py) whose
role allows a data service only on ARNs of other regions is denied its local replica (the
table, the replica key, the replicated secret) after a failover, when the primary is gone.

An ARN's region is read from a literal (or shape), from the resource a reference names, or from
``data.aws_region`` in the policy's own module. ``*``, a region wildcard or an ARN of the
workload's region allows it; an ARN drgen cannot place (a variable, a policy it cannot read,
an AWS-managed policy) leaves the case undecided. CloudWatch Logs is not judged (a workload
runs on when its logs are denied), nor are S3 buckets (their ARNs name no region).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from drgen.lint.checks.facts import targets, value_at
from drgen.lint.checks.iam_policies import (
    ROLE,
    Statement,
    managed_policy_services,
    role_permissions,
)
from drgen.lint.checks.sides import sides
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.evaluation.expressions import template_spans
from drgen.lint.evaluation.scope import references_in
from drgen.lint.frontends.hcl_text import unescape_quoted
from drgen.lint.model.roots import Expression, Resource, Root, Value
from drgen.lint.topology.links import literal_text

PROFILE = "aws_iam_instance_profile"
# workload type -> (argument naming its role or instance profile, whether it names a profile)
_WORKLOADS: dict[str, tuple[tuple[str, bool], ...]] = {
    "aws_lambda_function": (("role", False),),
    "aws_ecs_task_definition": (("task_role_arn", False), ("execution_role_arn", False)),
    "aws_instance": (("iam_instance_profile", True),),
    "aws_launch_template": (
        ("iam_instance_profile.name", True),
        ("iam_instance_profile.arn", True),
    ),
    "aws_launch_configuration": (("iam_instance_profile", True),),
    "aws_sfn_state_machine": (("role_arn", False),),
    "aws_cloudwatch_event_target": (("role_arn", False),),
    "aws_scheduler_schedule": (("target.role_arn", False),),
    "aws_pipes_pipe": (("role_arn", False),),
}
# resource types whose ARN names the region they live in -> the ARN's service
_REGIONAL: dict[str, str] = {
    "aws_dynamodb_table": "dynamodb",
    "aws_dynamodb_table_replica": "dynamodb",
    "aws_kms_key": "kms",
    "aws_kms_replica_key": "kms",
    "aws_secretsmanager_secret": "secretsmanager",
    "aws_sqs_queue": "sqs",
    "aws_sns_topic": "sns",
    "aws_ssm_parameter": "ssm",
    "aws_rds_cluster": "rds",
    "aws_db_instance": "rds",
    "aws_s3_access_point": "s3",
    "aws_kinesis_stream": "kinesis",
    "aws_efs_file_system": "elasticfilesystem",
    "aws_elasticache_replication_group": "elasticache",
}
# the data services a workload reaches on its own region's copy (ARN service prefixes)
_JUDGED = frozenset(_REGIONAL.values()) | {"rds-db", "dax", "es"}
# what the recovery workload fails over to, by service (the message names it)
_LOCAL = {
    "dynamodb": "replica table",
    "kms": "replica key",
    "secretsmanager": "replicated secret",
    "rds": "database",
    "rds-db": "database users",
    "ssm": "parameters",
}
_ANY = "*"  # a resource (or a region) that covers every one
_AWS_REGION = re.compile(r"data\.aws_region\.([A-Za-z_][\w-]*)\.(?:name|region|id)")
_INSTANCE_PICKERS = frozenset({"each", "count", "self", "path", "terraform"})


@dataclass(frozen=True)
class _Place:
    """Where one resource of a statement lives: its ARN's service and region (``*`` for a
    wildcard, None when the region cannot be read)."""

    service: str
    region: str | None
    label: str


@dataclass
class _Grants:
    """What a role allows of one service: the regions its ARNs name (with the statements naming
    them), whether some resource covers every region, whether some resource is unknown."""

    # region (or a region wildcard such as "us-*") -> the statements naming it, with the ARNs
    regions: dict[str, list[tuple[Statement, str]]] = field(default_factory=dict)
    everywhere: bool = False
    unknown: bool = False

    def allows(self, region: str) -> bool:
        return any(fnmatchcase(region, named) for named in self.regions)


def check_pinned_role_regions(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    copies = sides(root).copies
    if not copies:
        return
    users = _users(root)
    for role in root.linked_of_type(ROLE):
        workloads = users.get(id(role), [])
        if not workloads:
            continue
        grants = _grants(root, role)
        for service in sorted(grants):
            yield from _judge(root, role, service, grants[service], workloads, copies)


def _judge(
    root: Root,
    role: Resource,
    service: str,
    grant: _Grants,
    workloads: list[Resource],
    copies: frozenset[str],
) -> Iterator[Violation]:
    if grant.everywhere or not grant.regions:
        return
    denied: list[Resource] = []
    undecided: list[Resource] = []
    for workload in workloads:
        region = workload.region
        if region is None:
            undecided.append(workload)
        elif region in copies and not grant.allows(region):
            (undecided if grant.unknown else denied).append(workload)
    pinned = sorted(grant.regions)
    by_owner: dict[str, list[tuple[Statement, str]]] = {}
    for region in pinned:
        for statement, label in grant.regions[region]:
            if root.by_address(statement.owner.address) is statement.owner:
                by_owner.setdefault(statement.owner.address, []).append((statement, label))
    for named in by_owner.values():
        owner = named[0][0].owner
        line = named[0][0].line or owner.values.line_of("policy")
        labels = ", ".join(dict.fromkeys(label for _, label in named))
        where = f"{service} only on ARNs of {', '.join(pinned)} ({labels})"
        if denied:
            yield Violation(
                owner,
                f"{owner.address} allows role {role.address} {where}, but the role serves "
                f"{_listed(denied)}, in the recovery region: after a failover that workload "
                f"is denied (AccessDenied) on its own region's {_LOCAL.get(service, service)}, "
                "exactly when the primary is gone; allow the ARNs of every region the role "
                "serves (or build them from data.aws_region in a role per region).",
                line=line,
                kind=f"pinned-region:{service}:{role.address}",
            )
        elif undecided:
            yield Violation(
                owner,
                f"{owner.address}: cannot tell whether role {role.address}, allowed {where} "
                f"as far as drgen can read, is allowed them where {_listed(undecided)} runs "
                "(an ARN drgen cannot place, a policy it cannot read, or a workload region it "
                "cannot resolve)",
                line=line,
                unresolved=True,
                kind=f"pinned-region:{service}:{role.address}",
            )


def _listed(workloads: list[Resource]) -> str:
    return ", ".join(f"{w.address} ({w.region or 'region unknown'})" for w in workloads)


def _users(root: Root) -> dict[int, list[Resource]]:
    """Role (by id) -> the workloads (here or in a linked root) that run as it."""
    found: dict[int, list[Resource]] = {}
    for workload in root.linked_of_type(*_WORKLOADS):
        roles: dict[int, Resource] = {}
        for path, via_profile in _WORKLOADS[workload.type]:
            value = value_at(workload.values, path)
            if via_profile:
                for profile in targets(root, workload, value, PROFILE):
                    for role in targets(root, profile, profile.values.get("role"), ROLE):
                        roles[id(role)] = role
            else:
                for role in targets(root, workload, value, ROLE):
                    roles[id(role)] = role
        for key in roles:
            found.setdefault(key, []).append(workload)
    return found


def _grants(root: Root, role: Resource) -> dict[str, _Grants]:
    """The judged services the role's statements allow, by service."""
    permissions = role_permissions(root, role)
    grants: dict[str, _Grants] = {}
    everywhere: set[str] = set()  # services some statement allows on every resource
    unknown: set[str] = set()  # services some statement allows on a resource drgen cannot place
    for statement in permissions.statements:
        services = {_service(a) for a in statement.actions}
        for value in statement.resources:
            places = _places(root, statement.owner, value)
            if places is None:
                unknown |= services
            for place in places or ():
                if place.service == _ANY:
                    everywhere |= services
                elif place.service in _JUDGED and _covers(services, place.service):
                    grant = grants.setdefault(place.service, _Grants())
                    if place.region == _ANY:
                        grant.everywhere = True
                    elif place.region is None:
                        grant.unknown = True
                    else:
                        grant.regions.setdefault(place.region, []).append((statement, place.label))
    for arn in permissions.outside:
        known = managed_policy_services(arn)
        if known is None:
            unknown.add(_ANY)
        everywhere |= known or set()
    for service, grant in grants.items():
        grant.everywhere = grant.everywhere or _covers(everywhere, service)
        grant.unknown = grant.unknown or permissions.unread or _covers(unknown, service)
    return grants


def _service(action: str | None) -> str:
    """An action's service prefix (``*`` for an action drgen cannot read)."""
    return action.split(":", 1)[0].lower() if action is not None else _ANY


def _covers(services: set[str], service: str) -> bool:
    return any(fnmatchcase(service, s) for s in services)


def _places(root: Root, owner: Resource, value: Value) -> list[_Place] | None:
    """Where a statement's resource lives; [] for what no judged region holds (a bucket, a
    role); None when drgen cannot tell."""
    literal = literal_text(value)
    if literal is not None:
        return _arn_places(literal)
    if not isinstance(value, Expression):
        return None
    segments = _segments(value.source)
    if segments is not None and segments[0] == [(True, "arn")] and len(segments) > 3:
        service = _literal(segments[2])
        if service is None:
            return None
        if not segments[3]:
            return []  # a global ARN (an S3 bucket, an IAM role)
        return [_Place(service, _region(root, owner, segments[3]), _label(value))]
    found = targets(root, owner, value, *_REGIONAL)
    if found:
        return [_Place(_REGIONAL[t.type], t.region, t.address) for t in found]
    references = list(references_in(value))
    if references and all(_names_other_resource(root, owner, r) for r in references):
        return []  # an S3 bucket, a role, a log group: not a judged regional resource
    return None


def _arn_places(arn: str) -> list[_Place]:
    if arn == _ANY:
        return [_Place(_ANY, _ANY, arn)]
    parts = arn.split(":")
    if len(parts) < 4 or parts[0] != "arn":
        return []
    region = parts[3]
    if not region:
        return []  # a global ARN (an S3 bucket, an IAM role)
    return [_Place(parts[2].lower(), region, arn)]


def _region(root: Root, owner: Resource, segment: list[tuple[bool, str]]) -> str | None:
    """An ARN's region segment: a literal, a wildcard, or ``data.aws_region`` of the
    policy's module (the region its provider deploys to)."""
    literal = _literal(segment)
    if literal is not None:
        return literal
    if len(segment) != 1:
        return None
    match = _AWS_REGION.fullmatch(segment[0][1])
    if match is None:
        return None
    prefix = "".join(f"module.{m}." for m in owner.module_path)
    home = root.home(owner)
    source = home.by_address(f"{prefix}data.aws_region.{match.group(1)}")
    return source.region if source is not None else None


def _literal(segment: list[tuple[bool, str]]) -> str | None:
    if all(is_text for is_text, _ in segment):
        return "".join(text for _, text in segment)
    return None


def _segments(source: str) -> list[list[tuple[bool, str]]] | None:
    """A quoted template split at the colons of its literal parts: each segment a list of
    (is literal text, text or interpolated expression)."""
    text = source.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"' or "%{" in text:
        return None
    raw = text[1:-1]
    spans = template_spans(raw)
    if spans is None:
        return None
    segments: list[list[tuple[bool, str]]] = [[]]
    index = 0
    for start, end in (*spans, (len(raw), len(raw))):
        for position, piece in enumerate(unescape_quoted(raw[index:start]).split(":")):
            if position:
                segments.append([])
            if piece:
                segments[-1].append((True, piece))
        if start < end:
            segments[-1].append((False, raw[start + 2 : end - 1].strip(" ~")))
        index = end
    return segments


def _names_other_resource(root: Root, owner: Resource, reference: str) -> bool:
    """Whether a reference names a resource drgen sees whose type is not a judged regional
    one (``aws_s3_bucket.media.arn``), or only picks an instance (``count.index``)."""
    head = reference.split(".")[0]
    if head in _INSTANCE_PICKERS:
        return True
    if head in ("var", "local", "module"):
        return False
    found = targets(root, owner, Expression(reference, (reference,)))
    return bool(found) and all(t.type not in _REGIONAL for t in found)


def _label(value: Expression) -> str:
    return value.source.strip().strip('"')
