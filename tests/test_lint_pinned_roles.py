"""DR036 on generated ARNs: a role is reported exactly when the regions its ARNs name miss the
region of the recovery workload that runs as it; what AWS-managed policies allow counts."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen.findings import Finding
from drgen.lint.checks.iam_policies import managed_policy_services, role_permissions
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project

POLICIES = [p for p in load_policies() if p.id in ("DR036", "DR009")]
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
# ARN service -> (an action of it, the resource part of an ARN)
SERVICES = {
    "dynamodb": ("dynamodb:GetItem", "table/orders"),
    "kms": ("kms:Decrypt", "key/mrk-1234abcd12ab34cd56ef1234567890ab"),
    "secretsmanager": ("secretsmanager:GetSecretValue", "secret:orders-db-AbCdEf"),
    "sqs": ("sqs:SendMessage", "orders"),
    "ssm": ("ssm:GetParameter", "parameter/orders/url"),
    "rds-db": ("rds-db:connect", "dbuser:cluster-ABCDEFGHIJKL/app"),
}

STACK = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  tags = {
    "drgen:write-mode" = "write-global"
  }

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name            = "us-west-2"
    point_in_time_recovery = true
  }

  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }
}

resource "aws_iam_role" "app" {
  name               = "orders-app"
  assume_role_policy = "{}"
}
%(attachments)s
resource "aws_iam_role_policy" "app" {
  name = "orders-app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["%(action)s"]
        Resource = [%(resources)s]
      },
    ]
  })
}

resource "aws_lambda_function" "app" {
  region        = "%(workload)s"
  function_name = "orders-app"
  role          = aws_iam_role.app.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "app.zip"
}
"""


def _lint(text: str, *, strict: bool = False) -> list[Finding]:
    with TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text(text, encoding="utf-8")
        project, errors = build_project([Path(folder)], use_cache=False)
        assert errors == []
        return lint_project(project, POLICIES, strict=strict)


def _stack(service: str, regions: list[str], workload: str, managed: tuple[str, ...] = ()) -> str:
    action, tail = SERVICES[service]
    resources = ", ".join(f'"arn:aws:{service}:{r}:123456789012:{tail}"' for r in regions)
    attachments = "".join(
        f'\nresource "aws_iam_role_policy_attachment" "managed_{n}" {{\n'
        f"  role       = aws_iam_role.app.name\n"
        f'  policy_arn = "arn:aws:iam::aws:policy/{name}"\n}}\n'
        for n, name in enumerate(managed)
    )
    return STACK % {
        "action": action,
        "resources": resources,
        "workload": workload,
        "attachments": attachments,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(SERVICES)),
    st.lists(st.sampled_from((*REGIONS, "*", "us-*")), min_size=1, max_size=3, unique=True),
    st.sampled_from(REGIONS),
)
def test_reported_exactly_when_the_workload_region_is_not_allowed(
    service: str, regions: list[str], workload: str
) -> None:
    findings = _lint(_stack(service, regions, workload))
    allowed = any(fnmatchcase(workload, r) for r in regions)
    recovery = workload != "us-east-1"  # the table's replicas: the recovery side
    assert [f.rule_id for f in findings] == ([] if allowed or not recovery else ["DR036"])
    for finding in findings:
        assert f"({workload})" in finding.message
        assert f"{service} only on ARNs of" in finding.message


def test_known_managed_policies_count_and_unknown_ones_leave_it_undecided() -> None:
    pinned = ("secretsmanager", ["us-east-1"], "us-west-2")
    logs_only = ("service-role/AWSLambdaBasicExecutionRole",)
    assert [f.rule_id for f in _lint(_stack(*pinned, managed=logs_only))] == ["DR036"]
    assert _lint(_stack(*pinned, managed=("SecretsManagerReadWrite",))) == []
    unknown = ("AmazonDynamoDBFullAccess",)
    assert _lint(_stack(*pinned, managed=unknown)) == []
    undecided = _lint(_stack(*pinned, managed=unknown), strict=True)
    assert [f.rule_id for f in undecided] == ["DR009"]
    assert "DR036 cannot decide" in undecided[0].message


def test_managed_policy_services() -> None:
    assert managed_policy_services("arn:aws:iam::aws:policy/SecretsManagerReadWrite") is not None
    own = "arn:aws:iam::123456789012:policy/SecretsManagerReadWrite"
    assert managed_policy_services(own) is None
    assert managed_policy_services("arn:aws:iam::aws:policy/AdministratorAccess") is None


def test_managed_policy_arns_naming_a_policy_of_the_stack_are_read(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
resource "aws_iam_policy" "read" {
  name   = "read"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sqs:ReceiveMessage", Resource = "*" }]
  })
}

resource "aws_iam_role" "app" {
  name                = "app"
  assume_role_policy  = "{}"
  managed_policy_arns = [aws_iam_policy.read.arn]
}
""",
        encoding="utf-8",
    )
    project, errors = build_project([tmp_path], use_cache=False)
    assert errors == []
    root = project.roots[0]
    role = root.by_address("aws_iam_role.app")
    assert role is not None
    permissions = role_permissions(root, role)
    assert permissions.complete
    assert permissions.allows("sqs:ReceiveMessage") is True
