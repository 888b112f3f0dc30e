"""`python -m drgen.precommit`: the hooks' entry points, called in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from drgen.precommit import changed_modules, main

FIXTURE = Path(__file__).parent / "fixtures" / "report" / "command"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    (root / "infra" / "clean").mkdir()
    (root / "infra" / "clean" / "main.tf").write_text(
        'resource "aws_s3_bucket" "kept" {\n  force_destroy = false\n}\n', encoding="utf-8"
    )
    monkeypatch.chdir(root)
    return root


def test_changed_modules_are_the_folders_of_changed_terraform() -> None:
    files = ["infra/app/main.tf", "infra/app/vars.tf", "infra/db/x.tf.json", "README.md", "a.tf"]
    assert changed_modules(files) == [Path(), Path("infra/app"), Path("infra/db")]


def test_lint_hook_lints_only_the_changed_modules(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "infra/clean/main.tf", "README.md"]) == 0
    assert main(["lint", "infra/app/main.tf"]) == 1
    out = capsys.readouterr().out
    assert "ACME001" in out and "infra/app/main.tf" in out


def test_lint_hook_passes_options(repo: Path) -> None:
    assert main(["lint", "--min-severity", "critical", "infra/app/main.tf"]) == 0


def test_lint_hook_without_terraform_does_nothing(repo: Path) -> None:
    assert main(["lint", "README.md"]) == 0


def test_render_check_passes_with_a_note_when_nothing_is_configured(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render-check", "dr/app.yaml"]) == 0
    (note,) = capsys.readouterr().err.splitlines()
    assert note.startswith("drgen-render-check: nothing to check")


def test_lint_hook_passes_selection_and_soft_fail(repo: Path) -> None:
    assert main(["lint", "--soft-fail", "infra/app/main.tf"]) == 0
    assert main(["lint", "--skip-check", "ACME*", "infra/app/main.tf"]) == 0
    assert main(["lint", "--hard-fail-on", "ACME002", "infra/app/main.tf"]) == 1
    assert main(["lint", "--check", "NOPE1", "infra/app/main.tf"]) == 2


def test_unknown_hook_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format"]) == 2
    assert "usage:" in capsys.readouterr().err


@pytest.fixture
def rendered(repo: Path) -> Path:
    """A spec rendered into infra/dr and listed under render: in .drgen.yaml."""
    from drgen.render.command import run_render

    sample = Path(__file__).parents[1] / "samples" / "backup-restore.yaml"
    (repo / "dr").mkdir()
    shutil.copy(sample, repo / "dr" / "app.yaml")
    assert (
        run_render(Path("dr/app.yaml"), Path("infra/dr"), check=False, diff=False, force=False) == 0
    )
    with (repo / ".drgen.yaml").open("a", encoding="utf-8") as config:
        config.write("render:\n  - spec: dr/app.yaml\n    output: infra/dr\n")
    return repo


def test_render_check_passes_on_a_fresh_render(rendered: Path) -> None:
    assert main(["render-check", "dr/app.yaml"]) == 0


def test_render_check_fails_on_a_hand_edit(rendered: Path) -> None:
    edited = sorted((rendered / "infra" / "dr").glob("*/*.tf"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# tweak\n", encoding="utf-8")
    relative = edited.relative_to(rendered).as_posix()
    assert main(["render-check", relative]) == 1
    assert main(["render-check", "infra/app/main.tf"]) == 0  # not that spec's output: skipped
    assert main(["render-check", ".drgen.yaml"]) == 1  # a config change checks every spec


def test_render_check_fails_when_the_spec_changed(rendered: Path) -> None:
    spec = rendered / "dr" / "app.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("retention_days: 120", "retention_days: 180"),
        encoding="utf-8",
    )
    assert main(["render-check", "dr/app.yaml"]) == 1


CHECKOUT = Path(__file__).resolve().parents[1]


def test_hooks_manifest_is_valid_for_pre_commit() -> None:
    import subprocess
    import sys

    pre_commit = Path(sys.executable).with_name("pre-commit")
    manifest = CHECKOUT / ".pre-commit-hooks.yaml"
    checked = subprocess.run(
        [str(pre_commit), "validate-manifest", str(manifest)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load(manifest.read_text(encoding="utf-8"))}
    assert set(hooks) == {"drgen-lint", "drgen-render-check"}
    assert all(hook["language"] == "python" for hook in hooks.values())
    assert hooks["drgen-lint"]["entry"] == "python -m drgen.precommit lint"
