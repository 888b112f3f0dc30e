"""The pre-commit hooks, installed by the real `pre-commit` tool from this checkout's HEAD.

One throwaway repository: a module with a DR anti-pattern is rejected, a clean module is
accepted even though an older, unchanged module still has findings (drgen-lint lints only
the modules the commit touches), and a hand edit of rendered Terraform is rejected by
drgen-render-check. pre-commit builds drgen into its own environment from the commit, so
the hooks file must be committed and PyPI must be reachable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

BUCKET_WITHOUT_COPY = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
"""

NOTHING_STATEFUL = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.precommit
def test_hook_rejects_an_anti_pattern_and_accepts_a_clean_module(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "DRGEN_CACHE_DIR": str(tmp_path / "drgen-cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    head = run(["git", "rev-parse", "HEAD"], CHECKOUT, env).stdout.strip()
    committed = run(["git", "cat-file", "-e", f"{head}:.pre-commit-hooks.yaml"], CHECKOUT, env)
    assert committed.returncode == 0, "commit .pre-commit-hooks.yaml first"

    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(["git", "init", "-q"], repo, env).returncode == 0
    write(
        repo / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {CHECKOUT}\n    rev: {head}\n    hooks:\n"
        "      - id: drgen-lint\n      - id: drgen-render-check\n",
    )
    write(repo / "legacy" / "main.tf", BUCKET_WITHOUT_COPY)  # debt that predates the hook
    write(repo / ".drgen.yaml", "render:\n  - spec: dr/app.yaml\n    output: infra/dr\n")
    write(
        repo / "dr" / "app.yaml", (CHECKOUT / "samples" / "backup-restore.yaml").read_text("utf-8")
    )
    render_env = {**env, "PYTHONPATH": str(CHECKOUT)}
    rendered = run(
        [sys.executable, "-m", "drgen", "render", "dr/app.yaml", "-o", "infra/dr"], repo, render_env
    )
    assert rendered.returncode == 0, rendered.stderr
    run(["git", "add", "."], repo, env)
    assert run(["git", "commit", "-q", "-m", "legacy", "--no-verify"], repo, env).returncode == 0
    installed = run([str(PRE_COMMIT), "install"], repo, env)
    assert installed.returncode == 0, installed.stderr

    write(repo / "infra" / "data" / "main.tf", BUCKET_WITHOUT_COPY)
    run(["git", "add", "infra"], repo, env)
    rejected = run(["git", "commit", "-m", "add a bucket with no DR copy"], repo, env)
    output = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, output
    assert "DR001" in output and "aws_s3_bucket.assets" in output, output
    assert "legacy/main.tf" not in output  # the unchanged module is not linted

    write(repo / "infra" / "data" / "main.tf", NOTHING_STATEFUL)
    run(["git", "add", "infra"], repo, env)
    accepted = run(["git", "commit", "-m", "alerts topic"], repo, env)
    hook_output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, hook_output
    assert "drgen lint" in hook_output and "Passed" in hook_output
    log = run(["git", "log", "--format=%s"], repo, env).stdout.split("\n")
    assert log[:2] == ["alerts topic", "legacy"]

    generated = repo / "infra" / "dr" / "3-primary" / "backup.tf"
    write(generated, generated.read_text(encoding="utf-8") + "# hand edit\n")
    run(["git", "add", "infra"], repo, env)
    drifted = run(["git", "commit", "-m", "tweak generated code"], repo, env)
    output = drifted.stdout + drifted.stderr
    assert drifted.returncode != 0, output
    assert "drgen render --check" in output and "Failed" in output, output
