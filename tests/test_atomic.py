"""drgen.atomic: old or new file after any failure or kill, no writing through links, mode kept."""

from __future__ import annotations

import errno
import os
import signal
import stat
from pathlib import Path

import pytest

from drgen import atomic
from drgen.domain import Severity
from drgen.errors import DrgenError
from drgen.findings import Finding
from drgen.lint.engine.baseline import write_baseline
from tests.fault_support import CHILD_FAILED, count_steps, killed_by, run_killed

OLD = b"old contents\n" * 100
NEW = b"new contents, longer than the old ones\n" * 200


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_a_new_file_with_the_umask_mode_and_parents(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "deep" / "lint.sarif"
    umask = os.umask(0o027)
    try:
        atomic.write_text(target, "{}\n")
    finally:
        os.umask(umask)
    assert target.read_bytes() == b"{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _only(target.parent) == ["lint.sarif"]


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o755])
def test_replacing_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "baseline.json"
    target.write_bytes(OLD)
    target.chmod(mode)
    atomic.write_bytes(target, NEW)
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert _only(tmp_path) == ["baseline.json"]


def test_a_symlink_at_the_target_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere"
    secret.write_bytes(OLD)
    link = tmp_path / "report.json"
    link.symlink_to(secret)
    with pytest.raises(DrgenError) as caught:
        atomic.write_bytes(link, NEW)
    message = caught.value.format()
    assert message.startswith(f"{link}: is a symbolic link") and "fix: remove the" in message
    assert secret.read_bytes() == OLD and link.is_symlink()
    assert _only(tmp_path) == ["elsewhere", "report.json"]


def test_a_folder_or_fifo_at_the_target_is_refused_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "keep").write_bytes(OLD)
    os.mkfifo(tmp_path / "fifo")
    for name, kind in (("folder", "a folder"), ("fifo", "a special file")):
        with pytest.raises(DrgenError, match=f"is {kind}"):
            atomic.write_bytes(tmp_path / name, NEW)
    assert (tmp_path / "folder" / "keep").read_bytes() == OLD
    assert stat.S_ISFIFO((tmp_path / "fifo").lstat().st_mode)


def test_create_only_refuses_a_file_or_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_bytes(OLD)
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    for name in ("spec.yaml", "dangling.yaml"):
        with pytest.raises(DrgenError, match="refusing to overwrite an existing file"):
            atomic.write_bytes(tmp_path / name, NEW, replace=False)
    assert (tmp_path / "spec.yaml").read_bytes() == OLD
    assert not (tmp_path / "nowhere").exists()
    atomic.write_bytes(tmp_path / "fresh.yaml", NEW, replace=False)
    assert (tmp_path / "fresh.yaml").read_bytes() == NEW
    assert _only(tmp_path) == ["dangling.yaml", "fresh.yaml", "spec.yaml"]


def test_disk_full_midway_keeps_the_old_file_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lint.json"
    target.write_bytes(OLD)
    real_write = os.write

    def write_then_fill(handle: int, data: bytes | memoryview) -> int:
        if len(data) < len(NEW):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(handle, data[:100])  # a short write first, then the disk fills

    monkeypatch.setattr(os, "write", write_then_fill)
    with pytest.raises(DrgenError) as caught:
        atomic.write_bytes(target, NEW)
    message = caught.value.format()
    assert message.startswith(f"{target}: cannot write: No space left on device")
    assert "fix: free some disk space" in message
    assert target.read_bytes() == OLD and _only(tmp_path) == ["lint.json"]


def test_an_unwritable_folder_is_a_located_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(OLD)
    with pytest.raises(DrgenError) as caught:
        atomic.write_bytes(blocker / "report.txt", NEW)
    assert caught.value.format().startswith(f"{blocker / 'report.txt'}: cannot write: ")


def test_baseline_survives_a_crash_while_it_is_written(tmp_path: Path) -> None:
    """Regression: the old write truncated the baseline first, then failed encoding it."""
    target = tmp_path / "baseline.json"
    target.write_bytes(OLD)
    unencodable = Finding(
        rule_id="DR001",
        severity=Severity.HIGH,
        message="m",
        file="main.tf",
        line=1,
        resource="aws_s3_bucket.\udcff",
        root=".",
    )
    with pytest.raises(UnicodeEncodeError):
        write_baseline(target, [unencodable])
    assert target.read_bytes() == OLD and _only(tmp_path) == ["baseline.json"]


@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda sig: sig.name
)
def test_killed_at_any_step_the_file_is_old_or_new(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "baseline.json"
    target.write_bytes(OLD)
    steps = count_steps(lambda: atomic.write_bytes(target, NEW))
    assert steps >= 4  # create, write, fsync, rename, fsync folder
    for at in range(1, steps + 1):
        target.write_bytes(OLD)
        status = run_killed(lambda: atomic.write_bytes(target, NEW), at, sig)
        where = f"{sig.name} at step {at}/{steps}, child status {status:#x}"
        if sig == signal.SIGINT:  # KeyboardInterrupt, or the write was already done
            assert os.WIFEXITED(status), where
            assert os.WEXITSTATUS(status) in (CHILD_FAILED, 0), where
        else:
            assert killed_by(status) == sig, where
        assert target.read_bytes() in (OLD, NEW), where
        leftovers = [name for name in _only(tmp_path) if name != "baseline.json"]
        assert all(atomic.is_temp_name(name) for name in leftovers), where
        if sig == signal.SIGINT:
            assert leftovers == [], where  # an interrupt cleans up after itself
        for name in leftovers:
            (tmp_path / name).unlink()
