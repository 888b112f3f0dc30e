"""The ARC opt-ins as rendered: every name and ARN the Region switch plan and the runbook's
routing-control calls use exists in the tree, and neither ever turns both regions On."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from drgen.lint.frontends.treesitter import parse_hcl
from drgen.lint.model.roots import Block, Expression
from drgen.render import RenderedTree, render_spec
from drgen.render.arc import CLUSTER_ENDPOINT_REGIONS, endpoint_region, endpoint_regions
from drgen.render.provider_floor import minimum_provider_version
from drgen.runbook import build_runbook
from drgen.runbook.model import Join, Procedure, Var
from tests.render_support import make_spec

_ARC = {"gate": "arc-routing-control", "region_switch_plan": True}


@pytest.fixture(scope="module")
def tree() -> RenderedTree:
    return render_spec(make_spec(failover=_ARC))


def _body(tree: RenderedTree, path: str) -> Block:
    body = parse_hcl(tree.files[path])
    assert isinstance(body, Block), path
    return body


def _resources(tree: RenderedTree, root: str, kind: str) -> Iterator[Block]:
    for path in tree.files:
        if path.startswith(f"{root}/") and path.endswith(".tf"):
            for block in _body(tree, path).blocks:
                if block.type == "resource" and block.labels[0] == kind:
                    yield block


def _literal(block: Block, name: str) -> str:
    value = block.attributes[name]
    assert not isinstance(value, Expression), (name, value)
    return str(value)


def _source(block: Block, name: str) -> str:
    value = block.attributes[name]
    assert isinstance(value, Expression), (name, value)
    return value.source


def _plan(tree: RenderedTree) -> Block:
    (plan,) = _resources(tree, "5-dns", "aws_arcregionswitch_plan")
    return plan


def _steps(plan: Block) -> Iterator[tuple[str, Block]]:
    for workflow in plan.blocks:
        if workflow.type == "workflow":
            target = _source(workflow, "workflow_target_region")
            for step in workflow.blocks:
                yield target, step


def test_every_arn_in_the_plan_names_a_resource_of_the_tree(tree: RenderedTree) -> None:
    clusters = {_literal(b, "cluster_identifier") for root in ("3-primary", "4-recovery")
                for b in _resources(tree, root, "aws_rds_cluster")}  # fmt: skip
    instances = {_literal(b, "identifier") for root in ("3-primary", "4-recovery")
                 for b in _resources(tree, root, "aws_db_instance")}  # fmt: skip
    globals_ = {_literal(b, "global_cluster_identifier")
                for b in _resources(tree, "3-primary", "aws_rds_global_cluster")}  # fmt: skip
    roles = {_literal(b, "name") for b in _resources(tree, "1-global", "aws_iam_role")}
    text = tree.files["5-dns/region_switch.tf"]
    named = {
        "cluster": set(re.findall(r":cluster:([\w-]+)\"", text)),
        "db": set(re.findall(r":db:([\w-]+)\"", text)),
        "role": set(re.findall(r":role/([\w-]+)\"", text)),
        "global": set(re.findall(r'global_cluster_identifier = "([\w-]+)"', text)),
    }
    assert named["cluster"] and named["cluster"] <= clusters
    assert named["db"] and named["db"] <= instances
    assert named["global"] and named["global"] <= globals_
    assert named["role"] == {"shop-region-switch", "shop-region-switch-approval"} <= roles
    # the execution role may act on exactly those databases
    policy = tree.files["1-global/region_switch.tf"]
    for name in named["cluster"] | named["db"] | named["global"]:
        assert re.search(rf":(cluster|db|global-cluster):{name}\"", policy), name


def test_the_plan_reads_the_groups_and_controls_the_tree_outputs(tree: RenderedTree) -> None:
    references = {ref for _, step in _steps(_plan(tree)) for ref in _references(step)}
    assert {"var.primary_autoscaling_group_arn", "var.secondary_autoscaling_group_arn"} <= (
        references
    )
    controls = {f"aws_route53recoverycontrolconfig_routing_control.{side}.arn"
                for side in ("primary", "secondary")}  # fmt: skip
    assert controls <= references
    for side in ("primary", "secondary"):
        assert f'variable "{side}_autoscaling_group_arn"' in tree.files["5-dns/variables.tf"]
    for root in ("3-primary", "4-recovery"):
        assert 'output "autoscaling_group_arn"' in tree.files[f"{root}/outputs.tf"]
    readme = tree.files["README.md"]
    assert '-var "primary_autoscaling_group_arn=$(terraform -chdir=3-primary output' in readme


def _references(block: Block) -> Iterator[str]:
    for value in block.attributes.values():
        if isinstance(value, Expression):
            yield from value.references
    for nested in block.blocks:
        yield from _references(nested)


def test_the_runbook_names_outputs_5_dns_declares(tree: RenderedTree) -> None:
    outputs = set(re.findall(r'^output "([\w-]+)"', tree.files["5-dns/outputs.tf"], re.M))
    runbook = build_runbook(make_spec(failover=_ARC))
    read = {
        str(command.argv[-1])
        for procedure in runbook.procedures
        for step in procedure.steps
        for command in step.commands
        if command.argv[:2] == ("terraform", "-chdir=5-dns")
    }
    assert read == {"arc_cluster_endpoint", "routing_control_primary_arn",
                    "routing_control_recovery_arn"} <= outputs  # fmt: skip


def _states(procedure: Procedure) -> Iterator[dict[str, str]]:
    """The routing-control entries of each update call, by side."""
    for step in procedure.steps:
        for command in step.commands:
            if "update-routing-control-states" not in command.argv:
                continue
            entries: dict[str, str] = {}
            for arg in command.argv:
                if isinstance(arg, Join) and isinstance(arg.parts[1], Var):
                    side = "primary" if "PRIMARY" in arg.parts[1].name else "recovery"
                    entries[side] = str(arg.parts[2]).rsplit("=", 1)[1]
            yield entries


@pytest.mark.parametrize("pattern", ["warm-standby", "pilot-light"])
def test_the_runbook_never_turns_both_regions_on(pattern: str) -> None:
    """The safety rule of failover records (at most one region On) would refuse it."""
    runbook = build_runbook(make_spec(pattern=pattern, failover=_ARC))
    state = {"primary": "On", "recovery": "Off"}  # after the first apply (README)
    for procedure, end in ((runbook.failover, ("Off", "On")), (runbook.failback, ("On", "Off"))):
        for entries in _states(procedure):
            state.update(entries)
            assert list(state.values()) != ["On", "On"], procedure.name
        assert (state["primary"], state["recovery"]) == end, procedure.name


def test_the_plan_never_turns_both_regions_on(tree: RenderedTree) -> None:
    for start, target in (({"var.primary_region": "On", "var.secondary_region": "Off"},
                           "var.secondary_region"),
                          ({"var.primary_region": "Off", "var.secondary_region": "On"},
                           "var.primary_region")):  # fmt: skip
        state = dict(start)
        for workflow_target, step in _steps(_plan(tree)):
            if workflow_target != target or "arc_routing_control_config" not in {
                b.type for b in step.blocks
            }:
                continue
            (config,) = step.blocks
            for region in config.blocks:
                (control,) = region.blocks
                state[_source(region, "region")] = _literal(control, "state")
                assert list(state.values()) != ["On", "On"]
        assert state[target] == "On" and list(state.values()).count("On") == 1


def test_the_gate_has_one_safety_rule_that_fits_the_records(tree: RenderedTree) -> None:
    (rule,) = _resources(tree, "5-dns", "aws_route53recoverycontrolconfig_safety_rule")
    (config,) = rule.blocks
    assert [config.attributes[k] for k in ("type", "threshold", "inverted")] == [
        "ATLEAST", 2, True]  # fmt: skip
    latency = render_spec(make_spec(pattern="active-active", write_mode="write-global",
                                    failover={"gate": "arc-routing-control"}))  # fmt: skip
    (rule,) = _resources(latency, "5-dns", "aws_route53recoverycontrolconfig_safety_rule")
    (config,) = rule.blocks
    assert [config.attributes[k] for k in ("type", "threshold", "inverted")] == [
        "ATLEAST", 1, False]  # fmt: skip
    assert "5-dns/region_switch.tf" not in latency.files


def test_without_the_opt_ins_nothing_of_arc_is_rendered() -> None:
    plain = render_spec(make_spec())
    text = "".join(plain.files.values())
    assert "route53recoverycontrolconfig" not in text and "arcregionswitch" not in text
    assert "autoscaling_group_arn" not in text


def test_the_provider_floor_follows_the_plan(tree: RenderedTree) -> None:
    dns = [text for path, text in tree.files.items() if path.startswith("5-dns/") and
           path.endswith(".tf") and path != "5-dns/versions.tf"]  # fmt: skip
    # RDS promotion blocks arrived in the provider after the plan resource itself
    assert minimum_provider_version(dns) == "6.64.0"
    assert '">= 6.64.0"' in tree.files["5-dns/versions.tf"]
    aurora_only = render_spec(make_spec(failover=_ARC, data=[
        {"type": "aurora", "name": "ledger", "engine": "aurora-postgresql"}]))  # fmt: skip
    assert '">= 6.29.0"' in aurora_only.files["5-dns/versions.tf"]


@pytest.mark.parametrize(
    ("primary", "recovery", "first"),
    [
        ("us-east-1", "us-west-2", "us-west-2"),  # the recovery region has an endpoint
        ("us-west-2", "us-east-1", "us-east-1"),
        ("us-east-1", "us-east-2", "us-west-2"),  # nearest is the lost primary's: skipped
        ("eu-central-1", "eu-west-3", "eu-west-1"),
        ("eu-west-1", "eu-central-1", "us-east-1"),
        ("ap-southeast-1", "ap-northeast-2", "ap-northeast-1"),
        ("sa-east-1", "af-south-1", "eu-west-1"),
    ],
)
def test_the_endpoint_is_the_recovery_regions_or_the_nearest_but_never_the_primarys(
    primary: str, recovery: str, first: str
) -> None:
    order = endpoint_regions(primary, recovery)
    assert endpoint_region(primary, recovery) == first == order[0]
    assert primary not in order
    assert sorted(order) == sorted(set(CLUSTER_ENDPOINT_REGIONS) - {primary})
