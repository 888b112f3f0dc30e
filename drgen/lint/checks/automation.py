"""DR017 failover automation in the region it must rescue; DR018 a failover alarm that a dark
region never trips.

Failover automation is a connected group of Lambda functions, EventBridge rules, CloudWatch
alarms, SNS topics and Step Functions state machines (joined by references, subscriptions,
event targets and permissions) of which some member says it is for failover: a name or
description with a word like ``failover``, ``dr`` or ``promote``, or a Lambda whose role may
promote a database, move DNS or scale the recovery fleet. An alarm or topic only notifies: its
own name marks it only with a word for the failover action itself (``dr-alerts`` names the
project's alerting, ``dr-failover`` the trigger); otherwise it is automation only when it
triggers a member that is. Its region is judged against the
topology's sides (drgen/lint/checks/sides.py): automation in a region that only serves today
goes down with that region.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from drgen.lint.checks.facts import targets, text
from drgen.lint.checks.sides import location, sides
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Expression, Resource, Root, Value

ALARM = "aws_cloudwatch_metric_alarm"
_MEMBERS = (
    "aws_lambda_function",
    "aws_cloudwatch_event_rule",
    ALARM,
    "aws_cloudwatch_composite_alarm",
    "aws_sns_topic",
    "aws_sfn_state_machine",
    "aws_scheduler_schedule",
)
# connector type -> (argument naming what triggers, argument naming what is triggered)
_CONNECTORS = {
    "aws_sns_topic_subscription": ("topic_arn", "endpoint"),
    "aws_cloudwatch_event_target": ("rule", "arn"),
    "aws_lambda_permission": ("source_arn", "function_name"),
}
_RULE = "aws_cloudwatch_event_rule"
_ALARMS = (ALARM, "aws_cloudwatch_composite_alarm")
_REPORTED = ("aws_lambda_function", "aws_cloudwatch_event_rule", ALARM, "aws_sfn_state_machine")
_ACTION_WORDS = frozenset({"failover", "promote", "promotion", "switchover", "failback"})
_WORDS = _ACTION_WORDS | {"dr", "disaster"}
_NOTIFIERS = (*_ALARMS, "aws_sns_topic")
_ACTIONS = (
    "rds:failoverglobalcluster",
    "rds:switchoverglobalcluster",
    "rds:promotereadreplica",
    "rds:promotereadreplicadbcluster",
    "route53:changeresourcerecordsets",
    "route53-recovery-cluster:updateroutingcontrolstate",
    "autoscaling:updateautoscalinggroup",
    "autoscaling:setdesiredcapacity",
    "globalaccelerator:updateendpointgroup",
    "elasticache:failoverglobalreplicationgroup",
)
_NAMED_BY = ("name", "function_name", "alarm_name", "description", "alarm_description")
_WORD = re.compile(r"[a-z0-9]+")
_POLICY_TYPES = ("aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy")


def check_failover_automation_region(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    primary = sides(root).primary
    if not primary:
        return
    for member in _failover_members(root):
        if member.type not in _REPORTED or location(member) not in primary:
            continue
        yield Violation(
            member,
            f"{member.address} is failover automation deployed in {_place(member)}, where "
            "the data it must rescue is served from: when that region goes dark it goes down "
            "with it and never runs; deploy the alarm, rule and function in the recovery "
            "region (watching the primary from there, e.g. a Route 53 health check metric) "
            "instead.",
        )


def check_failover_alarm_missing_data(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    primary = sides(root).primary
    for alarm in (m for m in _failover_members(root) if m.type == ALARM):
        value = alarm.values.get("treat_missing_data")
        mode = "missing" if value is None else text(value)
        if mode is None:
            yield Violation(
                alarm,
                f"{alarm.address}: cannot tell how this failover alarm treats missing data",
                unresolved=True,
            )
            continue
        if mode not in ("missing", "notBreaching"):
            continue
        if location(alarm) not in primary:
            continue
        how = "unset (missing)" if value is None else f'"{mode}"'
        yield Violation(
            alarm,
            f"{alarm.address} triggers failover from a metric of {_place(alarm)} with "
            f"treat_missing_data {how}: a region that goes dark sends no data, so the alarm "
            "stays OK (or INSUFFICIENT_DATA) and never fires; set "
            'treat_missing_data = "breaching".',
            line=alarm.values.line_of("treat_missing_data"),
        )


def _place(resource: Resource) -> str:
    if resource.region is not None:
        return resource.region
    return f"the region of provider {resource.provider} (the primary data's)"


def _failover_members(root: Root) -> list[Resource]:
    """Automation that some failover-marked member is, or that (transitively) triggers one:
    an alarm whose action is a topic a failover function subscribes to, a rule whose target is
    such a function. Alerting that only shares a topic with the chain is not part of it."""
    nodes = root.of_type(*_MEMBERS)
    by_address = {n.address: n for n in nodes}
    triggered_by: dict[str, set[str]] = {n.address: set() for n in nodes}

    def edge(source: str, target: str) -> None:
        if source in by_address and target in by_address and source != target:
            triggered_by[target].add(source)

    for node in nodes:
        for used in root.references.get(node.address, ()):
            kind = by_address[used].type if used in by_address else ""
            if node.type == _RULE and kind in _ALARMS:
                edge(used, node.address)  # the rule's event pattern watches the alarm
            else:
                edge(node.address, used)  # an alarm action, a state machine's task ...
    for connector in root.of_type(*_CONNECTORS):
        start_argument, end_argument = _CONNECTORS[connector.type]
        for start in targets(root, connector, connector.values.get(start_argument)):
            for end in targets(root, connector, connector.values.get(end_argument)):
                edge(start.address, end.address)
    common = _common_words(nodes)
    chain = [n.address for n in nodes if _says_failover(root, n, common)]
    found = set(chain)
    while chain:
        for trigger in triggered_by[chain.pop()] - found:
            found.add(trigger)
            chain.append(trigger)
    return sorted((by_address[a] for a in found), key=lambda r: (r.file, r.line, r.address))


def _says_failover(root: Root, resource: Resource, common: frozenset[str]) -> bool:
    """A Terraform name, a literal name or description, or a Lambda environment variable with
    a failover word (``common``: words of the project's name prefix, which say nothing), or
    a Lambda whose role may fail over. An alarm or topic needs a word for the action."""
    words = set(_words([resource.name])) | (set(_words(_given_names(resource))) - common)
    if words & (_ACTION_WORDS if resource.type in _NOTIFIERS else _WORDS):
        return True
    return resource.type == "aws_lambda_function" and _role_may_fail_over(root, resource)


def _given_names(resource: Resource) -> list[str]:
    names = [t for a in _NAMED_BY if (t := text(resource.values.get(a)))]
    environment = resource.values.first("environment")
    variables = environment.get("variables") if environment is not None else None
    if isinstance(variables, dict):
        names += list(variables)  # DR_REGION, FAILOVER_TARGET ...
    return names


def _words(names: list[str]) -> Iterator[str]:
    for name in names:
        yield from _WORD.findall(name.lower())


def _common_words(nodes: list[Resource]) -> frozenset[str]:
    """Words in the given names of at least half of the automation (a project prefix such as
    ``acme-dr-prod-``), when there are three or more members."""
    counts: dict[str, int] = {}
    for node in nodes:
        for word in set(_words(_given_names(node))):
            counts[word] = counts.get(word, 0) + 1
    if len(nodes) < 3:
        return frozenset()
    return frozenset(w for w, n in counts.items() if 2 * n >= len(nodes))


def _role_may_fail_over(root: Root, function: Resource) -> bool:
    roles = [r for r in root.referenced_by(function) if r.type == "aws_iam_role"]
    policies = [p for role in roles for p in root.referrers(role, *_POLICY_TYPES)]
    policies += [q for p in policies for q in root.referenced_by(p) if q.type == "aws_iam_policy"]
    documents = [
        d for p in policies for d in root.referenced_by(p) if d.type == "aws_iam_policy_document"
    ]
    return any(_grants_failover(p.values.attributes.values()) for p in policies + documents) or any(
        _grants_failover(s.attributes.values()) for d in documents for s in d.values.blocks
    )


def _grants_failover(values: Iterable[Value]) -> bool:
    for value in values:
        for piece in _texts(value):
            if any(action in piece.lower() for action in _ACTIONS):
                return True
    return False


def _texts(value: Value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Expression):
        yield value.source
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
