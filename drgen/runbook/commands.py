"""Builders of the runbook's commands: every AWS call names its region explicitly.

Names come from drgen.render.identifiers (the same the templates use); values that only
exist once applied come from ``terraform -chdir=<root> output -raw <name>`` of a root whose
state lives in the region the command runs against, or from a describe call there.
"""

from __future__ import annotations

from drgen.render.arc import endpoint_region
from drgen.render.identifiers import PRIMARY, RECOVERY
from drgen.runbook.context import ACCOUNT_ID, DNS_ROOT, RunbookContext
from drgen.runbook.model import Arg, Command, Join, Var

ACCOUNT = Var(ACCOUNT_ID)


def aws(region: str, words: str, *args: Arg, capture: str | None = None) -> Command:
    """``aws <service> <operation…> --region <region> <args…>``."""
    return Command(("aws", *words.split(), "--region", region, *args), capture=capture)


def text_query(query: str) -> tuple[str, ...]:
    return ("--query", query, "--output", "text")


def expect(value: Arg, command: Command) -> Command:
    """Poll ``command`` until it prints ``value`` (the script's ``expect`` helper)."""
    return Command(("expect", value, *command.argv))


def probe(command: Command) -> Command:
    return Command(command.argv, capture=command.capture, probe=True)


def terraform_output(root: str, name: str, capture: str) -> Command:
    return Command(("terraform", f"-chdir={root}", "output", "-raw", name), capture=capture)


def account_id(region: str) -> Command:
    """The account, from STS's endpoint in ``region`` (never the global us-east-1 one)."""
    return aws(region, "sts get-caller-identity", *text_query("Account"), capture=ACCOUNT_ID)


def shell_name(*parts: str) -> str:
    return "_".join(part.upper().replace("-", "_") for part in parts)


def arn(c: RunbookContext, service: str, region: str, resource: str) -> Join:
    return Join((f"arn:{c.partition}:{service}:{region}:", ACCOUNT, f":{resource}"))


def role_arn(c: RunbookContext, purpose: str) -> Join:
    return Join((f"arn:{c.partition}:iam::", ACCOUNT, f":role/{c.ids.role(purpose)}"))


def bucket(c: RunbookContext, store: str, region: str) -> Join:
    """Bucket names are ``<stem>-<account id>`` (identifiers.bucket_stem)."""
    return Join((c.ids.bucket_stem(store, side_of(c, region)) + "-", ACCOUNT))


def side_of(c: RunbookContext, region: str) -> str:
    return PRIMARY if region == c.primary else RECOVERY


# --- the failover gate -------------------------------------------------------------------------


def set_gate(c: RunbookContext, region: str, allowed: bool) -> tuple[Command, ...]:
    """Open (allowed) or fence ``region``'s traffic through the recovery region's data plane."""
    side = side_of(c, region)
    if c.arc:
        return set_routing_control(c, side, "On" if allowed else "Off")
    return (
        aws(
            c.recovery, "cloudwatch put-metric-data",
            "--namespace", c.ids.gate_namespace, "--metric-name", c.ids.gate_metric,
            "--dimensions", f"Workload={c.ids.workload},Region={region}",
            "--value", "1" if allowed else "0",
        ),
        aws(
            c.recovery, "cloudwatch wait alarm-exists",
            "--alarm-names", c.ids.gate_alarm(side), "--state-value", "OK" if allowed else "ALARM",
        ),
    )  # fmt: skip


def set_routing_control(c: RunbookContext, side: str, state: str) -> tuple[Command, ...]:
    """ARC's data plane: one cluster endpoint (drgen.render.arc), signed for that endpoint's
    own region, which is never the primary's."""
    endpoint, control = "ARC_ENDPOINT", shell_name("routing_control", side)
    where = endpoint_region(c.primary, c.recovery)
    at = ("--endpoint-url", Var(endpoint))
    return (
        terraform_output(DNS_ROOT, "arc_cluster_endpoint", endpoint),
        terraform_output(DNS_ROOT, f"routing_control_{side}_arn", control),
        aws(
            where, "route53-recovery-cluster update-routing-control-states", *at,
            "--update-routing-control-state-entries",
            Join(("RoutingControlArn=", Var(control), f",RoutingControlState={state}")),
        ),
        expect(state, aws(
            where, "route53-recovery-cluster get-routing-control-state", *at,
            "--routing-control-arn", Var(control), *text_query("RoutingControlState"),
        )),
    )  # fmt: skip


# --- compute -----------------------------------------------------------------------------------


def scale(c: RunbookContext, region: str, minimum: int, maximum: int) -> Command:
    return aws(
        region, "autoscaling update-auto-scaling-group",
        "--auto-scaling-group-name", c.ids.autoscaling_group(side_of(c, region)),
        "--min-size", str(minimum), "--desired-capacity", str(minimum),
        "--max-size", str(maximum),
    )  # fmt: skip


def wait_in_service(c: RunbookContext, region: str) -> tuple[Command, ...]:
    side = side_of(c, region)
    variable = shell_name("target_group", side)
    return (
        aws(
            region, "elbv2 describe-target-groups", "--names", c.ids.target_group(side),
            *text_query("TargetGroups[0].TargetGroupArn"), capture=variable,
        ),
        aws(region, "elbv2 wait target-in-service", "--target-group-arn", Var(variable)),
    )  # fmt: skip


def check_endpoint(c: RunbookContext, region: str) -> tuple[Command, ...]:
    """HTTPS through ``region``'s load balancer with the service's own name and certificate."""
    side = side_of(c, region)
    variable = shell_name("load_balancer", side)
    return (
        aws(
            region, "elbv2 describe-load-balancers", "--names", c.ids.load_balancer(side),
            *text_query("LoadBalancers[0].DNSName"), capture=variable,
        ),
        Command((
            "curl", "--fail", "--silent", "--show-error", "--max-time", "10",
            "--connect-to", Join((f"{c.fqdn}:443:", Var(variable), ":443")), c.health_url,
        )),
    )  # fmt: skip


def check_service(c: RunbookContext) -> Command:
    """The public name, as users resolve it (no AWS API: DNS and HTTPS only)."""
    return probe(
        Command(("curl", "--fail", "--silent", "--show-error", "--max-time", "10", c.health_url))
    )
