"""run_render and the writer: manifest, hand-edit protection, --check/--diff/--force, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from drgen.render import writer
from drgen.render.command import run_render
from drgen.render.manifest import MANIFEST_NAME
from tests.render_support import REPO

SAMPLE = REPO / "samples" / "warm-standby.yaml"


def _render(spec: Path, out: Path, **flags: bool) -> int:
    options = {"check": False, "diff": False, "force": False, **flags}
    return run_render(spec, out, **options)


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _spec_without_dynamodb(tmp_path: Path) -> Path:
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    raw["data"] = [store for store in raw["data"] if store["type"] != "dynamodb"]
    path = tmp_path / "warm-standby.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_first_render_writes_the_tree_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _render(SAMPLE, out) == 0
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["spec"] == "warm-standby.yaml"
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {MANIFEST_NAME}
    assert "versions.tf" in manifest["files"]


def test_check_is_clean_after_render_and_reports_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    assert _render(SAMPLE, out, check=True) == 0
    (out / "kms.tf").write_text("# edited\n", encoding="utf-8")
    (out / "dns.tf").unlink()
    before = _snapshot(out)
    capsys.readouterr()
    assert _render(SAMPLE, out, check=True) == 1
    printed = capsys.readouterr().out
    assert "kms.tf" in printed and "dns.tf" in printed and "versions.tf" not in printed
    assert _snapshot(out) == before  # --check writes nothing


def test_diff_prints_a_unified_diff_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    assert _render(SAMPLE, out, diff=True) == 0
    original = (out / "kms.tf").read_text(encoding="utf-8")
    (out / "kms.tf").write_text(original.replace("deletion_window_in_days = 30", "x = 1"), "utf-8")
    capsys.readouterr()
    assert _render(SAMPLE, out, diff=True) == 1
    printed = capsys.readouterr().out
    assert "--- a/kms.tf\n+++ b/kms.tf\n" in printed
    assert "-  x = 1\n" in printed and "+  deletion_window_in_days = 30\n" in printed


def test_hand_edited_file_is_never_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    (out / "kms.tf").write_text("# mine\n", encoding="utf-8")
    before = _snapshot(out)
    assert _render(SAMPLE, out) == 2
    error = capsys.readouterr().err
    assert f"{out / 'kms.tf'}: edited by hand" in error and "fix: " in error
    assert _snapshot(out) == before
    assert _render(SAMPLE, out, force=True) == 0
    assert "aws_kms_key" in (out / "kms.tf").read_text(encoding="utf-8")


def test_files_drgen_did_not_write_are_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kms.tf").write_text("# someone else's\n", encoding="utf-8")
    assert _render(SAMPLE, out, force=True) == 2
    assert "not written by drgen" in capsys.readouterr().err
    assert _snapshot(out) == {"kms.tf": b"# someone else's\n"}


def test_user_files_beside_the_tree_survive_a_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    (out / "terraform.tfstate").write_text("{}", encoding="utf-8")
    (out / ".terraform").mkdir()
    (out / ".terraform" / "lock").write_text("x", encoding="utf-8")
    assert _render(SAMPLE, out, force=True) == 0
    assert (out / "terraform.tfstate").read_text(encoding="utf-8") == "{}"
    assert (out / ".terraform" / "lock").read_text(encoding="utf-8") == "x"


def test_files_no_longer_rendered_go_only_when_unedited(tmp_path: Path) -> None:
    smaller = _spec_without_dynamodb(tmp_path)
    out = tmp_path / "out"
    _render(SAMPLE, out)
    assert _render(smaller, out) == 0
    assert not (out / "dynamodb_sessions.tf").exists()
    _render(SAMPLE, out)
    (out / "dynamodb_sessions.tf").write_text("# kept\n", encoding="utf-8")
    assert _render(smaller, out) == 0
    assert (out / "dynamodb_sessions.tf").read_text(encoding="utf-8") == "# kept\n"
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert "dynamodb_sessions.tf" not in manifest["files"]


def test_failure_while_writing_leaves_the_previous_tree_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _render(_spec_without_dynamodb(tmp_path), out)
    (out / "terraform.tfstate").write_text("{}", encoding="utf-8")
    before = _snapshot(out)
    real_write = writer._write_text
    calls = {"n": 0}

    def failing_write(path: Path, text: str) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device", str(path))
        real_write(path, text)

    monkeypatch.setattr(writer, "_write_text", failing_write)
    assert _render(SAMPLE, out) == 2
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "warm-standby.yaml"]


def test_failure_during_the_swap_puts_user_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    (out / "terraform.tfstate").write_text("{}", encoding="utf-8")
    before = _snapshot(out)

    def failing_swap(staging: Path, target: Path) -> None:
        raise OSError(13, "Permission denied", str(target))

    monkeypatch.setattr(writer, "_swap", failing_swap)
    (out / "kms.tf").unlink()  # something to write
    before.pop("kms.tf")
    assert _render(SAMPLE, out) == 2
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_bad_spec_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\nname: x\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _render(spec, out) == 2
    assert not out.exists()
    assert "bad.yaml" in capsys.readouterr().err


def test_write_local_without_acknowledgement_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    raw = yaml.safe_load((REPO / "samples" / "active-active-write-local.yaml").read_text("utf-8"))
    del raw["dual_master_acknowledgement"]
    spec = tmp_path / "carts.yaml"
    spec.write_text(yaml.safe_dump(raw), encoding="utf-8")
    out = tmp_path / "out"
    assert _render(spec, out) == 2
    assert not out.exists()


def test_unmet_objectives_are_warnings_and_the_tree_is_still_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = yaml.safe_load((REPO / "samples" / "backup-restore.yaml").read_text("utf-8"))
    raw["objectives"] = {"rpo": "1m", "rto": "15m"}
    spec = tmp_path / "tight.yaml"
    spec.write_text(yaml.safe_dump(raw), encoding="utf-8")
    out = tmp_path / "out"
    assert _render(spec, out) == 0
    error = capsys.readouterr().err
    assert "warning: " in error and "objectives.rto" in error
    assert (out / "versions.tf").is_file()


def test_damaged_manifest_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert _render(SAMPLE, out) == 2
    assert f"{out / MANIFEST_NAME}: drgen manifest is damaged" in capsys.readouterr().err


def test_output_through_a_symlink_updates_the_real_directory(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _render(SAMPLE, real)
    (real / "terraform.tfstate").write_text("{}", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    (real / "kms.tf").unlink()
    assert _render(SAMPLE, link) == 0
    assert link.is_symlink() and (link / "kms.tf").is_file()
    assert (real / "terraform.tfstate").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_check_against_a_missing_directory_lists_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never-rendered"
    assert _render(SAMPLE, out, check=True) == 1
    assert "would change: " + str(out / "versions.tf") in capsys.readouterr().out
    assert not out.exists()
