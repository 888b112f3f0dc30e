"""The runbook test: run failover.sh and failback.sh with recording stand-ins for aws,
terraform and curl, and hold every call to the rules of a region loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drgen.runbook import build_runbook, readme_sections, render_files
from drgen.runbook.checks import command_problem
from drgen.runbook.context import RECOVERY_STATE_ROOTS
from drgen.runbook.model import Command
from drgen.spec import load_spec
from drgen.spec.model import Spec
from tests.render_support import SAMPLES, make_spec
from tests.runbook.cli_models import cli_problem

FAKE = Path(__file__).parent / "runbook" / "fake_aws.py"

VARIATIONS: dict[str, dict[str, Any]] = {
    "warm-every-store": {},
    "pilot-every-store": {"pattern": "pilot-light"},
    "backup-restore-every-store": {"pattern": "backup-restore", "dns": None, "compute": None},
    "backup-restore-with-compute": {"pattern": "backup-restore", "dns": None},
    "arc-gate": {"failover": {"gate": "arc-routing-control"}},
    "write-global-every-store": {"pattern": "active-active", "write_mode": "write-global"},
}


def _specs() -> dict[str, Spec]:
    specs = {path.stem: load_spec(path) for path in SAMPLES}
    specs.update({name: make_spec(**changes) for name, changes in VARIATIONS.items()})
    return specs


SPECS = _specs()


@dataclass(frozen=True)
class Run:
    code: int
    output: str
    calls: list[dict[str, Any]]


def _stubs(folder: Path) -> Path:
    folder.mkdir()
    for name in ("aws", "terraform", "curl"):
        stub = folder / name
        stub.write_text(f"#!{sys.executable} -S\n" + FAKE.read_text(encoding="utf-8"))
        stub.chmod(0o755)
    return folder


def _run(tree: Path, procedure: str, *args: str, answers: str = "") -> Run:
    log = tree / "calls.jsonl"
    log.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PATH": f"{tree / 'stubs'}:{os.environ['PATH']}",
        "STUB_LOG": str(log),
        "STUB_STATE": str(tree / "state.json"),
        "DRGEN_POLL_SECONDS": "0",
        "DRGEN_POLL_TRIES": "3",
    }
    result = subprocess.run(
        ["bash", str(tree / "runbook" / f"{procedure}.sh"), *args],
        input=answers, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return Run(result.returncode, result.stdout + result.stderr, calls)


def _tree(tmp_path: Path, spec: Spec) -> Path:
    for name, text in render_files(spec).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    _stubs(tmp_path / "stubs")
    return tmp_path


def _option(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == name]


@pytest.fixture(scope="module", params=sorted(SPECS))
def ran(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Spec, Run, Run]:
    spec = SPECS[request.param]
    tree = _tree(tmp_path_factory.mktemp(request.param), spec)
    failover = _run(tree, "failover", "--yes")
    failback = _run(tree, "failback", "--yes")  # the fake keeps the failover's state
    return spec, failover, failback


def test_both_procedures_run_to_the_end(ran: tuple[Spec, Run, Run]) -> None:
    _, failover, failback = ran
    assert failover.code == 0, failover.output
    assert failback.code == 0, failback.output
    assert "Failover complete." in failover.output and "Failback complete." in failback.output


def test_every_failover_call_names_the_recovery_region_and_never_the_primary(
    ran: tuple[Spec, Run, Run],
) -> None:
    spec, failover, _ = ran
    primary, recovery = spec.regions.primary, spec.regions.secondary
    aws_calls = [call["argv"] for call in failover.calls if call["program"] == "aws"]
    assert aws_calls
    for argv in aws_calls:
        assert _option(argv, "--region") == [recovery], argv
        for name in ("--source-region", "--endpoint-url"):
            assert not any(primary in value for value in _option(argv, name)), argv
    for call in failover.calls:
        if call["program"] == "terraform":
            root = call["argv"][0].removeprefix("-chdir=")
            assert root in RECOVERY_STATE_ROOTS, call


def test_every_failback_call_names_its_region(ran: tuple[Spec, Run, Run]) -> None:
    spec, _, failback = ran
    regions = {spec.regions.primary, spec.regions.secondary}
    for call in failback.calls:
        if call["program"] == "aws":
            assert len(_option(call["argv"], "--region")) == 1, call
            assert _option(call["argv"], "--region")[0] in regions, call


def test_every_aws_call_is_one_the_cli_accepts(ran: tuple[Spec, Run, Run]) -> None:
    _, failover, failback = ran
    for call in failover.calls + failback.calls:
        if call["program"] == "aws":
            assert cli_problem(["aws", *call["argv"]]) == "", call


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_readme_shows_the_commands_the_script_runs(name: str) -> None:
    spec = SPECS[name]
    sections = readme_sections(spec)
    scripts = render_files(spec)
    text = "\n".join(scripts.values())
    shown = [
        line.strip() for line in sections.splitlines() if line.startswith("   ") and line.strip()
    ]
    commands = [line for line in shown if not line.startswith("```")]
    assert commands
    for line in commands:
        assert line.split("  # ")[0] in text, line


def test_each_step_asks_first_and_no_stops_the_script(tmp_path: Path) -> None:
    tree = _tree(tmp_path, SPECS["warm-standby"])
    run = _run(tree, "failover", answers="y\nn\n")
    assert run.code == 1
    assert "Stopped before step 2" in run.output
    operations = [call["argv"][1] for call in run.calls if call["program"] == "aws"]
    assert "put-metric-data" not in operations  # step 2 (fence) never ran
    assert "describe-global-clusters" in operations  # step 1 did


def test_a_promotion_that_did_not_happen_stops_the_script(tmp_path: Path) -> None:
    """The poll after the Aurora failover waits for the writer to move; it must give up."""
    spec = SPECS["warm-standby"]
    tree = _tree(tmp_path, spec)
    script = tree / "runbook" / "failover.sh"
    text = script.read_text()
    script.write_text(text.replace("run aws rds failover-global-cluster", "true aws rds x", 1))
    run = _run(tree, "failover", "--yes")
    assert run.code != 0
    assert "gave up" in run.output


def test_user_text_in_commands_is_never_executed(tmp_path: Path) -> None:
    path = "/h$(touch pwned)`touch pwned2`'\"x"
    dns = {"zone": "example.com", "record": "api", "health_check_path": path}
    tree = _tree(tmp_path, make_spec(dns=dns))
    run = _run(tree, "failover", "--yes")
    assert run.code == 0, run.output
    assert not list(tree.rglob("pwned*")) and not list(Path.cwd().glob("pwned*"))
    curls = [call["argv"] for call in run.calls if call["program"] == "curl"]
    assert curls and all(argv[-1] == f"https://api.example.com{path}" for argv in curls)


# --- the static rules the drill applies to the model ------------------------------------------


def test_the_model_breaks_no_rule_for_any_spec() -> None:
    for name, spec in SPECS.items():
        failover = build_runbook(spec).failover
        for step in failover.steps:
            for command in step.commands:
                assert command_problem(command, spec.regions.primary) == "", (name, command)


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (("aws", "rds", "promote-read-replica", "--db-instance-identifier", "x"), "--region"),
        (("aws", "rds", "describe-db-clusters", "--region", "us-east-1"), "names the lost region"),
        (("aws", "iam", "get-role", "--region", "us-west-2"), "control plane"),
        (("terraform", "-chdir=3-primary", "output", "-raw", "x"), "state kept in the lost"),
        (("expect", "x", "aws", "s3", "sync", "--region", "us-west-2", "--source-region",
          "us-east-1"), "names the lost region"),
    ],
)  # fmt: skip
def test_planted_calls_are_caught(argv: tuple[str, ...], why: str) -> None:
    assert why in command_problem(Command(argv), "us-east-1")
