"""Pilot light keeps the Aurora secondary headless; the failover adds the instance it promotes.

A headless secondary cluster has the replicated storage but no DB instance (no compute billed);
a global database failover promotes an instance of the target cluster to writer, so the
runbook creates one, waits for it, then fails over, and the failback removes it again.
"""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from drgen.objectives.from_spec import assess_spec
from drgen.objectives.timeline import rto_timeline
from drgen.render import render_spec
from drgen.render.identifiers import Identifiers
from drgen.runbook import build_runbook
from drgen.runbook.model import Command, Phase, Step
from tests.render_support import make_spec


def _aurora(standby: int | None = None) -> list[dict[str, Any]]:
    store: dict[str, Any] = {"type": "aurora", "name": "ledger", "engine": "aurora-postgresql"}
    if standby is not None:
        store["standby_instances"] = standby
    return [store, {"type": "rds", "name": "legacy", "engine": "postgres"}]


def _instances(files: dict[str, str], root: str) -> list[str]:
    labels: list[str] = []
    for name, text in files.items():
        if name.startswith(f"{root}/") and name.endswith(".tf"):
            for block in hcl2.loads(text).get("resource", []):
                labels += [k.strip('"') for k in block.get('"aws_rds_cluster_instance"', {})]
    return sorted(labels)


@pytest.mark.parametrize(
    ("pattern", "standby", "expected"),
    [
        ("pilot-light", None, []),
        ("pilot-light", 1, ["ledger_secondary_1"]),
        ("warm-standby", None, ["ledger_secondary_1", "ledger_secondary_2"]),
        ("warm-standby", 0, []),
        ("warm-standby", 3, ["ledger_secondary_1", "ledger_secondary_2", "ledger_secondary_3"]),
    ],
)
def test_the_secondary_runs_the_instances_the_spec_asks_for(
    pattern: str, standby: int | None, expected: list[str]
) -> None:
    files = render_spec(make_spec(pattern=pattern, data=_aurora(standby))).files
    assert _instances(files, "4-recovery") == expected
    assert _instances(files, "3-primary") == ["ledger_primary_1", "ledger_primary_2"]
    headless_output = 'output "aurora_ledger_instance_class"'
    assert (headless_output in files["4-recovery/outputs.tf"]) is (not expected)


def _steps(pattern: str, standby: int | None = None) -> tuple[Step, ...]:
    return build_runbook(make_spec(pattern=pattern, data=_aurora(standby))).failover.steps


def _calls(step: Step, operation: str) -> list[Command]:
    return [c for c in step.commands if c.argv[:3] == ("aws", "rds", operation)]


def test_pilot_light_failover_adds_the_instance_before_the_global_failover() -> None:
    spec = make_spec(pattern="pilot-light", data=_aurora())
    ids, recovery = Identifiers(spec.name), spec.regions.secondary
    steps = build_runbook(spec).failover.steps
    adding = next(i for i, s in enumerate(steps) if _calls(s, "create-db-instance"))
    promoting = next(i for i, s in enumerate(steps) if _calls(s, "failover-global-cluster"))
    assert adding < promoting
    step = steps[adding]
    assert step.phase is Phase.PROMOTE and step.figures == ("aurora-instance-create",)
    (create,) = _calls(step, "create-db-instance")
    instance = ids.aurora_instance("ledger", "recovery", 0)
    assert create.option("--region") == recovery
    assert create.option("--db-cluster-identifier") == ids.aurora_cluster("ledger", "recovery")
    assert create.option("--db-instance-identifier") == instance
    assert create.option("--engine") == "aurora-postgresql"
    (wait,) = [
        c for c in step.commands if c.argv[:4] == ("aws", "rds", "wait", "db-instance-available")
    ]
    assert step.commands.index(wait) > step.commands.index(create)
    assert wait.option("--db-instance-identifier") == instance
    # the class comes from the recovery root's own state, which 4-recovery outputs
    (output,) = [c for c in step.commands if c.program == "terraform"]
    assert output.argv[1:] == (
        "-chdir=4-recovery",
        "output",
        "-raw",
        "aurora_ledger_instance_class",
    )
    # never an instance 4-recovery could declare later
    files = render_spec(make_spec(pattern="pilot-light", data=_aurora(3))).files
    assert instance not in "".join(files.values())


@pytest.mark.parametrize(("pattern", "standby"), [("warm-standby", None), ("pilot-light", 1)])
def test_a_secondary_with_instances_fails_over_directly(pattern: str, standby: int | None) -> None:
    assert not any(_calls(s, "create-db-instance") for s in _steps(pattern, standby))


def test_failback_leaves_the_secondary_headless_again() -> None:
    spec = make_spec(pattern="pilot-light", data=_aurora())
    instance = Identifiers(spec.name).aurora_instance("ledger", "recovery", 0)
    (standby,) = [s for s in build_runbook(spec).failback.steps if s.phase is Phase.STANDBY]
    deletes = _calls(standby, "delete-db-instance")
    (delete,) = [c for c in deletes if c.option("--db-instance-identifier") == instance]
    assert delete.option("--region") == spec.regions.secondary
    assert "Aurora instance the failover added" in standby.why


def test_the_rto_timeline_counts_the_new_instance() -> None:
    headless = rto_timeline(make_spec(pattern="pilot-light", data=_aurora()))
    with_instance = rto_timeline(make_spec(pattern="pilot-light", data=_aurora(1)))
    (entry,) = [e for e in headless.entries if e.figures == ("aurora-instance-create",)]
    assert entry.sources and entry.sources[0].startswith("https://docs.aws.amazon.com/")
    assert entry.range.typical == 600
    assert not any(e.figures == ("aurora-instance-create",) for e in with_instance.entries)
    assert headless.total.typical == with_instance.total.typical + entry.range.typical


def test_the_readme_shows_the_instance_step() -> None:
    readme = render_spec(make_spec(pattern="pilot-light", data=_aurora())).files["README.md"]
    assert "aws rds create-db-instance --region us-west-2" in readme
    assert "headless Aurora secondary" in readme


def test_the_component_estimate_counts_the_new_instance_too() -> None:
    def ledger(standby: int | None) -> Any:
        assessment = assess_spec(make_spec(pattern="pilot-light", data=_aurora(standby)))
        return next(c for c in assessment.components if c.name == "ledger")

    headless, with_instance = ledger(None), ledger(1)
    assert headless.rto.typical == with_instance.rto.typical + 600
    assert headless.rto_basis.startswith("Add a DB instance to a headless Aurora secondary")
    assert "aurora-instance-create" in {f.id for f in headless.figures}


def _migration(readme: str) -> str:
    return readme.split("## Migrating from a 0.1 single-root tree", 1)[1]


@pytest.mark.parametrize(("standby", "told"), [(None, True), (1, True), (2, False)])
def test_the_migration_says_what_happens_to_the_0_1_secondary_instances(
    standby: int | None, told: bool
) -> None:
    """0.1 gave every secondary two instances; fewer in 0.2 leaves instances outside its state."""
    readme = render_spec(make_spec(pattern="pilot-light", data=_aurora(standby))).files["README.md"]
    assert (
        "`ledger`: 0.1 gave its secondary cluster two DB instances" in _migration(readme)
    ) is told


def test_the_migration_says_the_rds_password_changes_hands() -> None:
    readme = render_spec(make_spec(pattern="warm-standby", data=_aurora())).files["README.md"]
    assert "RDS deletes its managed secret" in _migration(readme)
    assert f"`{Identifiers('shop').db_master_secret()}`" in _migration(readme)
    backup = render_spec(
        make_spec(pattern="backup-restore", data=_aurora(), dns=None, compute=None)
    )
    assert "RDS deletes its managed secret" not in _migration(backup.files["README.md"])
