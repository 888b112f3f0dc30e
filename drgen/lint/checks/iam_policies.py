"""What an IAM role is allowed to do, read off the policies the stack attaches to it.

A role's statements come from its ``inline_policy`` blocks, the ``aws_iam_role_policy``
resources naming it and the ``aws_iam_policy`` resources an ``aws_iam_role_policy_attachment``
or an ``aws_iam_policy_attachment`` (``roles``) attaches to it. A policy document is a
literal JSON string, a ``jsonencode({...})`` of an HCL object (read as written: literal parts
are known, the rest stays an expression), or a ``data.aws_iam_policy_document``'s ``json``.
What drgen cannot read (a managed policy ARN, a templated heredoc, a document built
elsewhere, an attachment naming a role it cannot follow) makes the role's permissions
incomplete: a check may then only say "cannot tell".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase

from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import targets, text, unresolved_pointers
from drgen.lint.frontends.treesitter import parse_hcl
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value

ROLE = "aws_iam_role"
ROLE_POLICY = "aws_iam_role_policy"
ATTACHMENT = "aws_iam_role_policy_attachment"
SHARED_ATTACHMENT = "aws_iam_policy_attachment"  # one policy, a list of roles (users, groups)
POLICY = "aws_iam_policy"
DOCUMENT = "aws_iam_policy_document"
_JSONENCODE = "jsonencode("
_AWS_MANAGED_PREFIX = "arn:aws:iam::aws:policy/"
# AWS-managed policies drgen knows -> every service prefix their actions name; each allows
# them on "*" or on region wildcards (arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*), so on
# every region. Only policies whose whole list is known belong here.
_AWS_MANAGED: dict[str, frozenset[str]] = {
    "service-role/AWSLambdaBasicExecutionRole": frozenset({"logs"}),
    "service-role/AWSLambdaVPCAccessExecutionRole": frozenset({"logs", "ec2"}),
    "service-role/AWSLambdaDynamoDBExecutionRole": frozenset({"logs", "dynamodb"}),
    "service-role/AWSLambdaSQSQueueExecutionRole": frozenset({"logs", "sqs"}),
    "service-role/AWSLambdaKinesisExecutionRole": frozenset({"logs", "kinesis"}),
    "service-role/AmazonECSTaskExecutionRolePolicy": frozenset({"logs", "ecr"}),
    "AmazonEC2ContainerRegistryReadOnly": frozenset({"ecr"}),
    "AWSXRayDaemonWriteAccess": frozenset({"xray"}),
    "CloudWatchAgentServerPolicy": frozenset({"cloudwatch", "ec2", "logs", "ssm", "xray"}),
    "AmazonSSMManagedInstanceCore": frozenset({"ssm", "ssmmessages", "ec2messages"}),
    "SecretsManagerReadWrite": frozenset(
        {
            "secretsmanager",
            "cloudformation",
            "ec2",
            "kms",
            "lambda",
            "rds",
            "redshift",
            "redshift-serverless",
            "serverlessrepo",
            "s3",
            "tag",
        }
    ),
    "AmazonS3FullAccess": frozenset({"s3", "s3-object-lambda"}),
    "AmazonS3ReadOnlyAccess": frozenset({"s3", "s3-object-lambda"}),
    "AmazonSQSFullAccess": frozenset({"sqs"}),
    "AmazonSNSFullAccess": frozenset({"sns"}),
}


@dataclass(frozen=True)
class Statement:
    """One Allow statement: its actions (None for one drgen cannot read) and resources."""

    owner: Resource  # the resource holding the policy (references resolve in its module)
    actions: tuple[str | None, ...]
    resources: tuple[Value, ...]
    line: int | None = None  # the statement's own line, when drgen knows it (HCL documents)


@dataclass(frozen=True)
class Permissions:
    statements: tuple[Statement, ...]
    unread: bool = False  # some policy (or which policies are attached) could not be read
    # literal ARNs of attached policies the stack does not declare (AWS-managed ones)
    outside: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every attached policy was read."""
        return not self.unread and not self.outside

    def allows(self, action: str) -> bool | None:
        """Whether some statement allows ``action`` on some resource (None: cannot tell)."""
        if any(self.granting(action)):
            return True
        unread = not self.complete or any(None in s.actions for s in self.statements)
        return None if unread else False

    def granting(self, action: str) -> list[Statement]:
        """The statements whose (known) actions cover ``action``."""
        wanted = action.lower()
        return [
            s
            for s in self.statements
            if any(a is not None and fnmatchcase(wanted, a.lower()) for a in s.actions)
        ]


def managed_policy_services(arn: str) -> frozenset[str] | None:
    """The services an AWS-managed policy allows in every region (its actions' prefixes);
    None for a policy drgen does not know (or one of another account)."""
    if not arn.startswith(_AWS_MANAGED_PREFIX):
        return None
    return _AWS_MANAGED.get(arn[len(_AWS_MANAGED_PREFIX) :])


def role_permissions(root: Root, role: Resource) -> Permissions:
    statements: list[Statement] = []
    outside: list[str] = []
    unread = False

    def add(owner: Resource, document: Value) -> None:
        nonlocal unread
        found = _document_statements(root, owner, document)
        if found is None:
            unread = True
        else:
            statements.extend(found)

    def attach(attachment: Resource, arn: Value) -> None:
        nonlocal unread
        managed = targets(root, attachment, arn, POLICY)
        for policy in managed:
            add(policy, policy.values.get("policy"))
        if managed:
            return
        literal = text(arn)
        if literal is None:
            unread = True
        else:
            outside.append(literal)  # an AWS-managed or out-of-stack policy

    for inline in nested(role.values, "inline_policy"):
        add(role, inline.get("policy"))
    arns = role.values.get("managed_policy_arns")
    if isinstance(arns, list):
        for arn in arns:
            attach(role, arn)
    elif arns is not None:
        unread = True
    for policy in _pointing_at_role(root, role, ROLE_POLICY):
        add(policy, policy.values.get("policy"))
    for attachment in _pointing_at_role(root, role, ATTACHMENT):
        attach(attachment, attachment.values.get("policy_arn"))
    for attachment in root.linked_of_type(SHARED_ATTACHMENT):
        roles = attachment.values.get("roles")
        if not isinstance(roles, list):
            unread = True  # roles drgen cannot list may include this one
            continue
        if any(t is role for r in roles for t in targets(root, attachment, r, ROLE)):
            attach(attachment, attachment.values.get("policy_arn"))
    if unresolved_pointers(root, (ROLE_POLICY, ATTACHMENT), "role"):
        unread = True  # a policy drgen cannot place may be this role's
    return Permissions(tuple(statements), unread, tuple(sorted(set(outside))))


def _pointing_at_role(root: Root, role: Resource, kind: str) -> list[Resource]:
    return [
        r
        for r in root.linked_of_type(kind)
        if any(t is role for t in targets(root, r, r.values.get("role"), ROLE))
    ]


def _document_statements(root: Root, owner: Resource, document: Value) -> list[Statement] | None:
    """The Allow statements of a policy document; None when drgen cannot read it."""
    if isinstance(document, str):
        try:
            parsed = json.loads(document)
        except ValueError:
            return None
        return _json_statements(owner, parsed)
    if not isinstance(document, Expression):
        return None
    source = document.source.strip()
    if source.startswith(_JSONENCODE) and source.endswith(")"):
        parsed_hcl = parse_hcl(f"document = {source[len(_JSONENCODE) : -1]}\n")
        if not isinstance(parsed_hcl, Block):
            return None
        return _json_statements(owner, parsed_hcl.get("document"))
    documents = [d for d in targets(root, owner, document, DOCUMENT) if d.mode == "data"]
    if len(documents) != 1 or not source.endswith(".json"):
        return None
    return _data_document_statements(documents[0])


def _json_statements(owner: Resource, document: object) -> list[Statement] | None:
    if not isinstance(document, dict):
        return None
    raw = document.get("Statement")
    items = raw if isinstance(raw, list) else [raw]
    statements: list[Statement] = []
    for item in items:
        if not isinstance(item, dict) or "NotAction" in item or "NotResource" in item:
            return None
        effect = text(item.get("Effect"))
        if effect is None:
            return None
        if effect == "Allow":
            statements.append(
                Statement(owner, _actions(item.get("Action")), _listed(item.get("Resource")))
            )
    return statements


def _data_document_statements(document: Resource) -> list[Statement] | None:
    body = document.values
    if any(
        body.get(a) is not None for a in ("source_policy_documents", "override_policy_documents")
    ):
        return None
    statements: list[Statement] = []
    for block in nested(body, "statement"):
        if block.get("not_actions") is not None or block.get("not_resources") is not None:
            return None
        effect = block.get("effect")
        if effect is not None and text(effect) is None:
            return None
        if text(effect) in (None, "Allow"):
            actions, resources = _actions(block.get("actions")), _listed(block.get("resources"))
            statements.append(Statement(document, actions, resources, block.line))
    return statements


def _actions(value: Value) -> tuple[str | None, ...]:
    return tuple(a if isinstance(a, str) else None for a in _listed(value))


def _listed(value: Value) -> tuple[Value, ...]:
    if isinstance(value, list):
        return tuple(value)
    if value is None:
        return ()
    return (value,)
