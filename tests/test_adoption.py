"""A team adopting drgen: the Action's own scripts and the hooks' entry in a throwaway repository.

The Action's setup and install steps run once for the module (a real virtualenv, drgen
installed from this checkout as `uses: drgen-dev/drgen@<sha>` would). Then, in a fresh git
repository with a baseline recorded from its root: baselined findings stay hidden whether the
hook lints one folder or the Action lints the whole repository, a new problem of the same rule
on the same resource is shown, and soft-fail exits 0 and still writes every report.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.action_support import ACTION, CHECKOUT, Runner, step

MODULE_DB = """\
resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  multi_az                = true
  backup_retention_period = 7
  deletion_protection     = false
  skip_final_snapshot     = true
}
"""

ROOT = """\
provider "aws" {
  region = "us-east-1"
}

module "db" {
  source = "./modules/db"
}
"""


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """The Action's setup and install steps, run once: drgen in its own virtualenv."""
    job = Runner(tmp_path_factory.mktemp("runner"), inputs={"python": sys.executable})
    for name in ("setup", "Install drgen from this action's checkout"):
        done = job.run(name, cwd=CHECKOUT)
        assert done.returncode == 0, done.stdout + done.stderr
    assert job.outputs["setup"]["key"].startswith("drgen-pip-Linux-py3.")
    return job


def test_nested_actions_are_pinned_by_full_commit_sha() -> None:
    uses = [s["uses"] for s in ACTION["runs"]["steps"] if "uses" in s]
    assert uses, "the Action uses the cache and the SARIF upload actions"
    for reference in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", reference), reference
    assert not any(u.startswith("actions/setup-python") for u in uses)  # the job's Python stays


def test_action_inputs() -> None:
    inputs = set(ACTION["inputs"])
    assert {"paths", "config", "baseline", "soft-fail", "var-file", "format"} <= inputs
    assert "version" not in inputs  # drgen comes from the Action's own checkout, never an index


def test_sarif_upload_is_skipped_with_a_notice_on_fork_pull_requests() -> None:
    fork = "github.event.pull_request.head.repo.full_name != github.repository"
    upload = next(s for s in ACTION["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    notice = step("SARIF upload skipped on a fork")
    assert fork in " ".join(upload["if"].split()) and "!(" in upload["if"]
    assert fork in " ".join(notice["if"].split())
    assert "::notice" in notice["run"]


def test_lint_step_writes_every_report_and_the_job_summary(runner: Runner, tmp_path: Path) -> None:
    runner.inputs.update({"paths": "samples/lint/legacy-shop", "format": "text json junit gitlab"})
    runner.summary = tmp_path / "summary.md"
    done = runner.run("lint", cwd=CHECKOUT, DRGEN_CACHE_DIR=str(tmp_path / "cache"))
    assert done.returncode == 0, done.stderr  # the step records the code; a later step fails
    assert runner.outputs["lint"]["exit-code"] == "1"
    reports = Path(runner.outputs["lint"]["reports"])
    assert {p.name for p in reports.iterdir()} == {
        "drgen.sarif", "drgen-github.txt", "drgen.md", "drgen.txt", "drgen.json", "drgen.xml",
        "drgen-gitlab.json",
    }  # fmt: skip
    assert "::error file=samples/lint/legacy-shop/" in done.stdout
    assert runner.summary.read_text(encoding="utf-8").startswith("### drgen: ")
    fail = subprocess.run(
        ["bash", "-c", step("Fail on findings")["run"]], env={"CODE": "1"}, check=False
    )
    assert fail.returncode == 1


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _hook(runner: Runner, repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """The drgen-lint hook's entry as pre-commit runs it: entry, then the staged files."""
    hooks = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h["entry"] for h in hooks if h["id"] == "drgen-lint").split()
    assert entry[0] == "python"
    python = Path(runner.outputs["setup"]["venv"]) / "bin" / "python"
    return subprocess.run(
        [str(python), *entry[1:], *files], cwd=repo, capture_output=True, text=True, check=False
    )


def test_throwaway_repository_with_a_baseline(runner: Runner, tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    (repo / "infra" / "modules" / "db").mkdir(parents=True)
    (repo / "infra" / "main.tf").write_text(ROOT, encoding="utf-8")
    module = repo / "infra" / "modules" / "db" / "main.tf"
    module.write_text(MODULE_DB, encoding="utf-8")
    _git(repo, "init", "-q")
    drgen = Path(runner.outputs["setup"]["venv"]) / "bin" / "drgen"
    recorded = subprocess.run(
        [str(drgen), "lint", "infra", "-q", "--write-baseline", ".drgen-baseline.json"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    (repo / ".drgen.yaml").write_text("baseline: .drgen-baseline.json\n", encoding="utf-8")
    runner.inputs.update({"paths": ".", "format": "json", "soft-fail": "false"})

    # known findings: hidden for one folder (the hook) and for the whole repository (the Action)
    assert _hook(runner, repo, "infra/modules/db/main.tf").returncode == 0
    assert _hook(runner, repo, "infra/main.tf").returncode == 0
    runner.run("lint", cwd=repo)
    assert runner.outputs["lint"]["exit-code"] == "0"

    # a new problem of the same rule (DR008) on the same resource is shown, both ways
    module.write_text(MODULE_DB.replace("= 7", "= 0"), encoding="utf-8")
    hooked = _hook(runner, repo, "infra/modules/db/main.tf")
    assert hooked.returncode == 1 and "DR008" in hooked.stdout
    assert "automated backups off" in hooked.stdout and "final snapshot" not in hooked.stdout
    runner.run("lint", cwd=repo)
    assert runner.outputs["lint"]["exit-code"] == "1"
    reports = Path(runner.outputs["lint"]["reports"])
    document = json.loads((reports / "drgen.json").read_text(encoding="utf-8"))
    assert [(f["rule_id"], f["kind"]) for f in document["findings"]] == [
        ("DR008", "automated-backups-off")
    ]
    assert document["summary"]["baselined"] == 3

    # soft-fail: exit 0, every report written
    for old in reports.iterdir():
        old.unlink()
    runner.inputs.update({"soft-fail": "true", "format": "text json junit gitlab"})
    soft = runner.run("lint", cwd=repo)
    assert runner.outputs["lint"]["exit-code"] == "0", soft.stderr
    assert {p.name for p in reports.iterdir()} == {
        "drgen.sarif", "drgen-github.txt", "drgen.md", "drgen.txt", "drgen.json", "drgen.xml",
        "drgen-gitlab.json",
    }  # fmt: skip
    assert "::warning file=infra/modules/db/main.tf,line=6" in soft.stdout
