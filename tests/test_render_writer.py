"""run_render and the writer: manifest, hand-edit protection, --check/--diff/--force, atomicity."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
import yaml

from drgen.render.command import run_render
from drgen.render.manifest import JOURNAL_NAME, MANIFEST_NAME
from tests.render_support import REPO

SAMPLE = REPO / "samples" / "warm-standby.yaml"
KMS = "3-primary/kms.tf"
DNS = "5-dns/dns.tf"
DYNAMODB = "3-primary/dynamodb_sessions.tf"


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
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == written - {MANIFEST_NAME}
    assert "4-recovery/versions.tf" in manifest["files"]


def test_check_is_clean_after_render_and_reports_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    assert _render(SAMPLE, out, check=True) == 0
    (out / KMS).write_text("# edited\n", encoding="utf-8")
    (out / DNS).unlink()
    before = _snapshot(out)
    capsys.readouterr()
    assert _render(SAMPLE, out, check=True) == 1
    printed = capsys.readouterr().out
    assert KMS in printed and DNS in printed and "versions.tf" not in printed
    assert _snapshot(out) == before  # --check writes nothing


def test_diff_prints_a_unified_diff_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    assert _render(SAMPLE, out, diff=True) == 0
    original = (out / KMS).read_text(encoding="utf-8")
    (out / KMS).write_text(original.replace("deletion_window_in_days = 30", "x = 1"), "utf-8")
    capsys.readouterr()
    assert _render(SAMPLE, out, diff=True) == 1
    printed = capsys.readouterr().out
    assert f"--- a/{KMS}\n+++ b/{KMS}\n" in printed
    assert "-  x = 1\n" in printed and "+  deletion_window_in_days = 30\n" in printed


def test_hand_edited_file_is_never_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(SAMPLE, out)
    (out / KMS).write_text("# mine\n", encoding="utf-8")
    before = _snapshot(out)
    assert _render(SAMPLE, out) == 2
    error = capsys.readouterr().err
    assert f"{out / KMS}: edited by hand" in error and "fix: " in error
    assert _snapshot(out) == before
    assert _render(SAMPLE, out, force=True) == 0
    assert "aws_kms_key" in (out / KMS).read_text(encoding="utf-8")


def test_files_drgen_did_not_write_are_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / KMS).parent.mkdir(parents=True)
    (out / KMS).write_text("# someone else's\n", encoding="utf-8")
    assert _render(SAMPLE, out, force=True) == 2
    assert "not written by drgen" in capsys.readouterr().err
    assert _snapshot(out) == {KMS: b"# someone else's\n"}


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
    assert not (out / DYNAMODB).exists()
    _render(SAMPLE, out)
    (out / DYNAMODB).write_text("# kept\n", encoding="utf-8")
    assert _render(smaller, out) == 0
    assert (out / DYNAMODB).read_text(encoding="utf-8") == "# kept\n"
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert DYNAMODB not in manifest["files"]


def test_disk_full_before_the_journal_changes_nothing_and_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(_spec_without_dynamodb(tmp_path), out)
    (out / "terraform.tfstate").write_text("{}", encoding="utf-8")
    before = _snapshot(out)

    def disk_full(handle: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    capsys.readouterr()
    assert _render(SAMPLE, out) == 2
    error = capsys.readouterr().err
    assert f"{out / JOURNAL_NAME}: cannot write: No space left on device" in error
    assert "None" not in error and "fix: free some disk space" in error
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "warm-standby.yaml"]


def test_too_little_free_space_is_refused_before_anything_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _render(_spec_without_dynamodb(tmp_path), out)
    before = _snapshot(out)
    real = os.fstatvfs

    def nearly_full(fd: int) -> os.statvfs_result:
        info = real(fd)
        return os.statvfs_result((*info[:4], 1, *info[5:]))  # one free block

    monkeypatch.setattr(os, "fstatvfs", nearly_full)
    capsys.readouterr()
    assert _render(SAMPLE, out) == 2
    assert f"{out}: not enough free space to render" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_disk_full_midway_names_the_file_and_the_next_render_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    smaller = _spec_without_dynamodb(tmp_path)
    _render(smaller, out)
    (out / "terraform.tfstate").write_text("{}", encoding="utf-8")
    old = _snapshot(out)
    _render(SAMPLE, tmp_path / "expected")
    new = _snapshot(tmp_path / "expected")
    real_write, calls = os.write, {"n": 0}

    def fills_up(handle: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 4:  # the journal, two files, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(handle, data)

    monkeypatch.setattr(os, "write", fills_up)
    capsys.readouterr()
    assert _render(SAMPLE, out) == 2
    error = capsys.readouterr().err
    assert "cannot write: No space left on device; the render stopped part-way" in error
    assert "the next `drgen render` finishes the rest" in error and "None" not in error
    assert error.startswith(str(out / "")) and (out / JOURNAL_NAME).is_file()
    middle = _snapshot(out)
    assert middle["terraform.tfstate"] == b"{}"
    for name, data in middle.items():
        assert name in (JOURNAL_NAME, MANIFEST_NAME) or data in (old.get(name), new.get(name))
    monkeypatch.setattr(os, "write", real_write)
    assert _render(SAMPLE, out) == 0
    assert "finished the render that was interrupted" in capsys.readouterr().err
    assert _snapshot(out) == {**new, "terraform.tfstate": b"{}"}


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
    assert (out / "4-recovery" / "versions.tf").is_file()


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
    (real / KMS).unlink()
    assert _render(SAMPLE, link) == 0
    assert link.is_symlink() and (link / KMS).is_file()
    assert (real / "terraform.tfstate").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_check_against_a_missing_directory_lists_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never-rendered"
    assert _render(SAMPLE, out, check=True) == 1
    assert "would change: " + str(out / "4-recovery" / "versions.tf") in capsys.readouterr().out
    assert not out.exists()


def test_a_spec_named_with_control_characters_still_gives_a_readable_manifest(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "odd\x1b[2J\nname.yaml"
    spec.write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    assert _render(spec, out) == 0
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["spec"] == (
        "odd?[2J?name.yaml"
    )
    assert _render(spec, out) == 0 and _render(spec, out, check=True) == 0
