"""The failover gate as rendered (5-dns): which health check each record answers through, per
failover mode and gate, and that the runbook's gate calls move exactly the rendered alarms."""

from __future__ import annotations

from typing import Any

import pytest

from drgen.lint.frontends.treesitter import parse_hcl
from drgen.lint.model.roots import Block, Expression
from drgen.render import RenderedTree, render_spec
from drgen.render.identifiers import Identifiers
from drgen.runbook import build_runbook
from drgen.runbook.model import Command
from drgen.spec.model import Spec
from tests.render_support import make_spec

_DYNAMODB_ONLY: dict[str, Any] = {
    "data": [{"type": "dynamodb", "name": "sessions", "hash_key": "id"}],
}


def _blocks(tree: RenderedTree, kind: str) -> dict[str, Block]:
    found: dict[str, Block] = {}
    for path, text in tree.files.items():
        if path.startswith("5-dns/") and path.endswith(".tf"):
            body = parse_hcl(text)
            assert isinstance(body, Block)
            for block in body.blocks:
                if block.type == "resource" and block.labels[0] == kind:
                    found[block.labels[1]] = block
    return found


def _source(block: Block, name: str) -> str:
    value = block.attributes[name]
    return value.source if isinstance(value, Expression) else str(value)


def _routing(tree: RenderedTree) -> dict[str, tuple[str, object]]:
    """record name -> (health check it answers through, evaluate_target_health)."""
    return {
        name: (
            _source(record, "health_check_id").removeprefix("aws_route53_health_check."),
            record.blocks_named("alias")[0].attributes["evaluate_target_health"],
        )
        for name, record in _blocks(tree, "aws_route53_record").items()
        if "health_check_id" in record.attributes
    }


def test_manual_failover_records_answer_only_through_the_gates() -> None:
    tree = render_spec(make_spec())
    assert _routing(tree) == {
        "primary": ("gate_primary.id", False),
        "secondary": ("gate_secondary.id", False),
    }
    checks = _blocks(tree, "aws_route53_health_check")
    assert _source(checks["gate_primary"], "type") == "CLOUDWATCH_METRIC"
    assert _source(checks["gate_primary"], "insufficient_data_health_status") == "Healthy"
    assert _source(checks["gate_secondary"], "insufficient_data_health_status") == "Unhealthy"
    for side in ("primary", "secondary"):
        assert _source(checks[f"gate_{side}"], "cloudwatch_alarm_region") == "var.secondary_region"
    # the alarms take 5-dns's provider, in the recovery region
    assert "region = var.secondary_region" in tree.files["5-dns/versions.tf"]


def test_automatic_failover_needs_the_balancer_and_the_gate() -> None:
    tree = render_spec(make_spec(**_DYNAMODB_ONLY, failover={"mode": "automatic"}))
    assert _routing(tree) == {
        "primary": ("primary_serving.id", True),
        "secondary": ("secondary.id", True),
    }
    serving = _blocks(tree, "aws_route53_health_check")["primary_serving"]
    assert _source(serving, "type") == "CALCULATED"
    assert _source(serving, "child_health_threshold") == "2"
    assert set(_blocks(tree, "aws_cloudwatch_metric_alarm")) == {"gate_primary"}


@pytest.mark.parametrize(
    ("write_mode", "writes"),
    [("write-global", ("gate_primary.id", "gate_secondary.id")), ("write-origin", None)],
)
def test_latency_records_need_the_balancer_and_the_gate(
    write_mode: str, writes: tuple[str, str] | None
) -> None:
    tree = render_spec(make_spec(pattern="active-active", write_mode=write_mode))
    routing = _routing(tree)
    assert routing["read_primary"] == ("primary_serving.id", True)
    assert routing["read_secondary"] == ("secondary_serving.id", True)
    if writes:
        assert (routing["write_primary"][0], routing["write_secondary"][0]) == writes
    checks = _blocks(tree, "aws_route53_health_check")
    for side in ("primary", "secondary"):  # both regions serve until one is fenced
        assert _source(checks[f"gate_{side}"], "insufficient_data_health_status") == "Healthy"


def test_the_arc_gate_takes_the_same_place() -> None:
    tree = render_spec(make_spec(failover={"gate": "arc-routing-control"}))
    assert _routing(tree)["primary"] == ("gate_primary.id", False)
    checks = _blocks(tree, "aws_route53_health_check")
    assert _source(checks["gate_primary"], "type") == "RECOVERY_CONTROL"
    assert not _blocks(tree, "aws_cloudwatch_metric_alarm")


def _gate_calls(spec: Spec) -> list[Command]:
    return [
        command
        for procedure in build_runbook(spec).procedures
        for step in procedure.steps
        for command in step.commands
        if command.argv[1:3] == ("cloudwatch", "put-metric-data")
    ]


@pytest.mark.parametrize(
    "spec",
    [make_spec(), make_spec(pattern="pilot-light"), make_spec(pattern="active-active",
                                                              write_mode="write-global")],
    ids=["warm-standby", "pilot-light", "write-global"],
)  # fmt: skip
def test_the_runbook_moves_the_rendered_alarms(spec: Spec) -> None:
    tree = render_spec(spec)
    ids = Identifiers(spec.name)
    alarms = _blocks(tree, "aws_cloudwatch_metric_alarm")
    variables = tree.files["5-dns/variables.tf"]
    calls = _gate_calls(spec)
    assert calls
    for call in calls:
        dimensions = dict(part.split("=") for part in str(call.option("--dimensions")).split(","))
        region = dimensions["Region"]
        side = "primary" if region == spec.regions.primary else "secondary"
        alarm = alarms[f"gate_{side}"]
        assert _source(alarm, "alarm_name") == ids.gate_alarm(
            "primary" if side == "primary" else "recovery"
        )
        assert call.option("--namespace") == _source(alarm, "namespace")
        assert call.option("--metric-name") == _source(alarm, "metric_name")
        assert call.option("--region") == spec.regions.secondary
        assert f"var.{side}_region" in _source(alarm, "dimensions")
        assert f'default     = "{region}"' in variables.split(f'variable "{side}_region"')[1]
        assert dimensions["Workload"] == ids.workload
