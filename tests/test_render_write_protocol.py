"""The render write protocol: lock, untrusted manifest and journal, links, FIFOs, CRLF, layout.

Each test reproduces one problem of issue 10 (the old writer failed it) or pins one rule of
docs/write-protocol.md.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drgen import faults
from drgen.errors import DrgenError
from drgen.render.command import run_render
from drgen.render.compare import compare_tree
from drgen.render.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest, sha256_text
from drgen.render.writer import write_tree
from tests.fault_support import run_killed, snapshot
from tests.render_support import REPO

SAMPLE = REPO / "samples" / "warm-standby.yaml"
KMS = "3-primary/kms.tf"
DNS = "5-dns/dns.tf"


def _render(out: Path, **flags: bool) -> int:
    options = {"check": False, "diff": False, "force": False, **flags}
    return run_render(SAMPLE, out, **options)


def _write(out: Path, files: dict[str, str], *, migrate_layout: bool = False) -> None:
    manifest = Manifest("test", "spec.yaml", {n: sha256_text(t) for n, t in files.items()})
    write_tree(out, files, manifest, force=False, migrate_layout=migrate_layout)


def _tamper(out: Path, **changes: object) -> None:
    path = out / MANIFEST_NAME
    body = json.loads(path.read_text(encoding="utf-8"))
    body.update(changes)
    path.write_text(json.dumps(body), encoding="utf-8")


@pytest.fixture(scope="module")
def rendered_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    assert _render(out) == 0
    return out


@pytest.fixture
def rendered(tmp_path: Path, rendered_once: Path) -> Path:
    """A fresh copy of the sample's rendered tree."""
    out = tmp_path / "out"
    shutil.copytree(rendered_once, out, symlinks=True)
    return out


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail this test (instead of hanging the suite) if anything blocks on a FIFO."""

    def blocked(signum: int, frame: object) -> None:
        raise TimeoutError("blocked for 120 s: something opened a FIFO without O_NONBLOCK")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- concurrency -------------------------------------------------------------------------


def test_a_second_render_while_one_writes_stops_with_exit_2(
    rendered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (rendered / KMS).unlink()
    before = snapshot(rendered)
    holder = os.open(rendered, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # what a render in progress holds
    try:
        capsys.readouterr()
        assert _render(rendered) == 2
        error = capsys.readouterr().err
        assert f"{rendered}: another drgen render is writing this folder" in error
        assert _render(rendered, check=True) == 2
        assert snapshot(rendered) == before
    finally:
        os.close(holder)
    assert _render(rendered) == 0 and (rendered / KMS).is_file()


def test_a_render_while_another_is_stopped_midway_is_refused_nothing_lost(
    rendered: Path,
) -> None:
    (rendered / "terraform.tfstate").write_bytes(b"{}")
    for name in (KMS, DNS, "3-primary/alb.tf"):
        (rendered / name).unlink()
    files = {name: "# v2\n" for name in ("a.tf", "sub/b.tf")}
    first = os.fork()
    if first == 0:  # stopped (SIGSTOP) by drgen.faults in the middle of applying its journal
        faults.arm(6, signal.SIGSTOP)
        code = _render(rendered)
        os._exit(code)
    try:
        _, status = os.waitpid(first, os.WUNTRACED)
        assert os.WIFSTOPPED(status)
        with pytest.raises(DrgenError, match="another drgen render is writing this folder"):
            _write(rendered, files)
    finally:
        os.kill(first, signal.SIGCONT)
        _, status = os.waitpid(first, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert (rendered / "terraform.tfstate").read_bytes() == b"{}"
    assert _render(rendered, check=True) == 0


# --- the manifest is untrusted -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "terraform.tfstate.d/../versions.tf",
        "../outside.tf",
        "/etc/passwd",
        "/proc/self/environ",
        "a/./b.tf",
        "a//b.tf",
        "nul\x00.tf",
        "back\\slash.tf",
        "new\nline.tf",
        ".drgen-journal.json",
        "/".join(["d"] * 9) + ".tf",
        "x" * 300 + ".tf",
    ],
)
def test_a_manifest_naming_a_path_outside_or_odd_is_refused_and_nothing_is_touched(
    rendered: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (rendered / "terraform.tfstate.d").mkdir()
    (rendered / "terraform.tfstate.d" / "prod.tfstate").write_bytes(b"state")
    digest = sha256_text("x")
    _tamper(rendered, files={name: digest, "versions.tf": digest})
    before = snapshot(rendered)
    capsys.readouterr()
    for flags in ({}, {"check": True}, {"diff": True}):
        assert _render(rendered, **flags) == 2
        captured = capsys.readouterr()
        assert f"{rendered / MANIFEST_NAME}: drgen manifest is damaged" in captured.err
        assert captured.out == ""  # nothing read from the named path is printed
    assert snapshot(rendered) == before


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": 2, "format": 2, "drgen_version": "x", "spec": "s", "files": {}}',
        '{"format": 2, "drgen_version": "x", "spec": "s", "files": {"a.tf": "nothex"}}',
        '{"format": 3, "drgen_version": "x", "spec": "s", "files": {}}',
        '{"format": 2, "drgen_version": "x", "spec": "s", "files": []}',
        '{"format": 2, "drgen_version": "x", "spec": "s", "files": {}, "extra": 1}',
        '{"format": 2, "drgen_version": "0.1\\u001b[2J", "spec": "s", "files": {}}',
        "\xff\xfe not UTF-8",
        " " * (1024 * 1024 + 1),
    ],
    ids=["deep", "duplicate", "hash", "format", "files", "extra", "escape", "utf8", "size"],
)
def test_a_malformed_manifest_is_a_located_error(
    rendered: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (rendered / MANIFEST_NAME).write_bytes(text.encode("utf-8", errors="surrogateescape"))
    if text.startswith("\xff"):
        (rendered / MANIFEST_NAME).write_bytes(b"\xff\xfe not UTF-8")
    capsys.readouterr()
    assert _render(rendered) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"{rendered / MANIFEST_NAME}: drgen manifest is damaged")
    assert "Traceback" not in error


def test_a_manifest_that_is_a_fifo_or_a_link_is_not_followed(
    rendered: Path, tmp_path: Path, no_hang: None, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text((rendered / MANIFEST_NAME).read_text(encoding="utf-8"), "utf-8")
    (rendered / MANIFEST_NAME).unlink()
    (rendered / MANIFEST_NAME).symlink_to(outside)
    assert _render(rendered, check=True) == 2
    assert "damaged (not a file (link))" in capsys.readouterr().err
    (rendered / MANIFEST_NAME).unlink()
    os.mkfifo(rendered / MANIFEST_NAME)
    assert _render(rendered) == 2
    assert _render(rendered, diff=True) == 2
    assert "damaged (not a file (special))" in capsys.readouterr().err


# --- links, FIFOs and folders inside the tree -----------------------------------------------


def test_diff_and_check_never_read_through_a_link_or_block_on_a_fifo(
    rendered: Path, tmp_path: Path, no_hang: None, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_SECRET=hunter2\n", encoding="utf-8")
    (rendered / KMS).unlink()
    (rendered / KMS).symlink_to(secret)
    (rendered / DNS).unlink()
    os.mkfifo(rendered / DNS)
    capsys.readouterr()
    assert _render(rendered, diff=True) == 1
    printed = capsys.readouterr().out
    assert "hunter2" not in printed
    assert f"# {KMS}: is a symbolic link; not read" in printed
    assert f"# {DNS}: is a special file; not read" in printed
    assert _render(rendered, check=True) == 1
    printed = capsys.readouterr().out
    assert f"would change: {rendered / KMS} (is a symbolic link; not read)" in printed
    assert _render(rendered, force=True) == 2
    error = capsys.readouterr().err
    assert f"{rendered / KMS}: is a symbolic link" in error
    assert secret.read_text(encoding="utf-8") == "AWS_SECRET=hunter2\n"


def test_a_symlinked_subfolder_is_never_written_or_read_through(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "main.tf").write_text("# not drgen's\n", encoding="utf-8")
    out.mkdir()
    (out / "3-primary").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(DrgenError) as caught:
        _write(out, {"3-primary/main.tf": "# rendered\n", "README.md": "r\n"})
    assert f"{out / '3-primary'}: is a symbolic link" in caught.value.format()
    assert (elsewhere / "main.tf").read_text(encoding="utf-8") == "# not drgen's\n"
    assert sorted(p.name for p in out.iterdir()) == ["3-primary"]


def test_a_user_folder_named_like_a_rendered_file_is_never_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: the first render deleted README.md/notes.txt."""
    out = tmp_path / "out"
    (out / "README.md").mkdir(parents=True)
    (out / "README.md" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    assert _render(out) == 2
    error = capsys.readouterr().err
    assert f"{out / 'README.md'}: is a folder where drgen renders a file" in error
    assert snapshot(out) == {"README.md/notes.txt": b"my notes\n"}


def test_a_listed_file_that_became_a_folder_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, {"a.tf": "a\n", "old.tf": "o\n"})
    (out / "old.tf").unlink()
    (out / "old.tf").mkdir()
    (out / "old.tf" / "keep").write_bytes(b"k")
    _write(out, {"a.tf": "a\n"})
    assert (out / "old.tf" / "keep").read_bytes() == b"k"


def test_folders_drgen_emptied_go_and_folders_with_user_files_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, {"6-old/deep/x.tf": "x\n", "7-old/y.tf": "y\n", "README.md": "r\n"})
    (out / "7-old" / "terraform.tfstate").write_bytes(b"{}")
    _write(out, {"README.md": "r\n"})
    assert not (out / "6-old").exists()
    assert snapshot(out) == {
        "7-old/terraform.tfstate": b"{}",
        "README.md": b"r\n",
        MANIFEST_NAME: (out / MANIFEST_NAME).read_bytes(),
    }


# --- CRLF --------------------------------------------------------------------------------


def test_a_crlf_checkout_is_up_to_date_for_check_and_render_alike(
    rendered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: --check said up to date while render refused every file as hand-edited."""
    for path in rendered.rglob("*"):
        if path.is_file() and path.name != MANIFEST_NAME:
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = snapshot(rendered)
    assert _render(rendered, check=True) == 0
    assert _render(rendered, diff=True) == 0
    capsys.readouterr()
    assert _render(rendered) == 0
    assert ": 0 written, 0 removed" in capsys.readouterr().out
    assert snapshot(rendered) == before
    kms = rendered / KMS
    kms.write_bytes(kms.read_bytes() + b"# a real edit\r\n")
    assert _render(rendered, check=True) == 1
    assert _render(rendered) == 2
    assert "edited by hand" in capsys.readouterr().err


# --- the output folder itself --------------------------------------------------------------


def test_rendering_into_dot_keeps_the_folder_inode_mode_and_owner(
    rendered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: `-o .` always failed, and the swap replaced the folder's inode."""
    rendered.chmod(0o750)
    before = rendered.stat()
    (rendered / KMS).unlink()
    monkeypatch.chdir(rendered)
    assert _render(Path()) == 0
    after = rendered.stat()
    assert (after.st_ino, after.st_uid, after.st_gid) == (
        before.st_ino,
        before.st_uid,
        before.st_gid,
    )
    assert stat.S_IMODE(after.st_mode) == 0o750 and (rendered / KMS).is_file()
    assert _render(Path(), check=True) == 0


def test_an_output_folder_whose_parent_is_read_only_works_like_a_mount_point(
    rendered: Path,
) -> None:
    """Regression: the swap needed to create siblings beside the output folder.

    Root may create entries in any folder, so under root the render runs in a forked child
    that has dropped to an unprivileged user owning only the output folder.
    """
    (rendered / KMS).unlink()
    if os.geteuid() != 0:
        rendered.parent.chmod(0o555)
        try:
            assert _render(rendered) == 0
        finally:
            rendered.parent.chmod(0o755)
    else:
        assert _render_unprivileged(rendered) == 0
    assert (rendered / KMS).is_file()


def _render_unprivileged(rendered: Path) -> int:
    """Render ``rendered`` again as user nobody, inside a read-only parent owned by root."""
    import pwd
    import tempfile

    nobody = pwd.getpwnam("nobody")
    base = Path(tempfile.mkdtemp(prefix="drgen-unprivileged-"))
    try:
        base.chmod(0o755)
        parent = base / "mount"
        parent.mkdir()
        out = parent / "out"
        shutil.copytree(rendered, out, symlinks=True)
        for path in [out, *out.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
        parent.chmod(0o555)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 70
            try:
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
                try:  # the constraint is real: nothing can be created beside the output
                    (parent / "probe").mkdir()
                except PermissionError:
                    code = _render(out)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if (out / KMS).is_file():
            shutil.copy2(out / KMS, rendered / KMS)
        return os.waitstatus_to_exitcode(status)
    finally:
        shutil.rmtree(base)


def test_an_output_path_that_is_a_file_or_a_link_loop_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_bytes(b"x")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert _render(tmp_path / "file") == 2
    assert f"{tmp_path / 'file'}: output path exists and is not a directory" in (
        capsys.readouterr().err
    )
    assert _render(tmp_path / "loop") == 2
    error = capsys.readouterr().err
    assert error.startswith(f"{tmp_path / 'loop'}: cannot write: ") and "link loop" in error


# --- the journal ---------------------------------------------------------------------------


def test_a_damaged_journal_stops_the_render_with_a_located_error(
    rendered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = {
        "format": 1,
        "token": "0123abcd",
        "manifest": (rendered / MANIFEST_NAME).read_text(encoding="utf-8"),
        "writes": [{"path": "../escape.tf", "text": "x", "before": None}],
        "removals": [],
    }
    (rendered / JOURNAL_NAME).write_text(json.dumps(journal), encoding="utf-8")
    before = snapshot(rendered)
    assert _render(rendered) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"{rendered / JOURNAL_NAME}: drgen journal of an interrupted")
    assert snapshot(rendered) == before and not (rendered.parent / "escape.tf").exists()
    assert _render(rendered, check=True) == 1
    assert "a render was interrupted here" in capsys.readouterr().err


def test_a_killed_render_is_reported_by_check_and_finished_by_the_next_render(
    rendered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (rendered / KMS).unlink()
    (rendered / DNS).unlink()
    status = run_killed(lambda: _render(rendered), 8, signal.SIGKILL)
    assert os.WTERMSIG(status) == signal.SIGKILL and (rendered / JOURNAL_NAME).is_file()
    capsys.readouterr()
    assert _render(rendered, check=True) == 1
    assert "a render was interrupted here; run `drgen render` to finish it" in (
        capsys.readouterr().err
    )
    assert _render(rendered) == 0
    assert "finished the render that was interrupted earlier" in capsys.readouterr().err
    assert _render(rendered, check=True) == 0 and not (rendered / JOURNAL_NAME).exists()


# --- a drgen 0.1 single-root tree ------------------------------------------------------------

FLAT = {"main.tf": "# 0.1 root\n", "kms.tf": "# 0.1 keys\n", "README.md": "0.1\n"}
ROOTS = {"1-global/main.tf": "# global\n", "3-primary/main.tf": "# primary\n", "README.md": "0.2\n"}


def _flat_tree(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    manifest = Manifest("0.1.0", "spec.yaml", {n: sha256_text(t) for n, t in FLAT.items()}, 1)
    write_tree(out, FLAT, manifest, force=False)
    (out / "terraform.tfstate").write_bytes(b'{"serial": 9}')
    (out / ".terraform").mkdir()
    (out / ".terraform" / "terraform.tfstate").write_bytes(b"backend")
    (out / "mine.tf").write_bytes(b"# the user's\n")
    return out


def test_a_single_root_tree_is_not_replaced_without_migrate_layout(tmp_path: Path) -> None:
    out = _flat_tree(tmp_path)
    before = snapshot(out)
    with pytest.raises(DrgenError) as caught:
        _write(out, ROOTS)
    message = caught.value.format()
    assert message.startswith(f"{out}: holds a drgen 0.1.0 single-root tree")
    assert "Terraform state is here too (terraform.tfstate, .terraform)" in message
    assert "'Migrating from a 0.1 single-root tree'" in message and "--migrate-layout" in message
    assert snapshot(out) == before


def test_check_says_a_single_root_tree_needs_the_migration(tmp_path: Path) -> None:
    out = _flat_tree(tmp_path)
    assert compare_tree(out, ROOTS).single_root
    assert not compare_tree(out, FLAT).single_root


def test_migrate_layout_replaces_only_drgen_files_and_keeps_state(tmp_path: Path) -> None:
    out = _flat_tree(tmp_path)
    (out / "kms.tf").write_bytes(b"# edited by hand\n")
    _write(out, ROOTS, migrate_layout=True)
    now = snapshot(out)
    assert now["terraform.tfstate"] == b'{"serial": 9}'
    assert now[".terraform/terraform.tfstate"] == b"backend"
    assert now["mine.tf"] == b"# the user's\n" and now["kms.tf"] == b"# edited by hand\n"
    assert "main.tf" not in now and now["3-primary/main.tf"] == b"# primary\n"
    assert json.loads(now[MANIFEST_NAME])["format"] == 2


# --- user files inside root folders ------------------------------------------------------------

ROOT_USER_FILES = {
    "4-recovery/terraform.tfstate": b'{"serial": 3}',
    "4-recovery/.terraform/providers/aws": b"binary",
    "4-recovery/.terraform.lock.hcl": b"# lock\n",
    "4-recovery/backend.tf": b"# copied from backend.tf.example\n",
    "4-recovery/terraform.tfvars": b'secondary_region = "us-west-2"\n',
    "3-primary/.terraform/terraform.tfstate": b"backend",
}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_user_files_inside_root_folders_survive_every_re_render(
    tmp_path: Path, force: bool
) -> None:
    """Regression (layout, 02:30): the old writer swapped whole root folders, state included."""
    out = tmp_path / "out"
    roots = {"3-primary/main.tf": "# p\n", "4-recovery/main.tf": "# r\n", "README.md": "r\n"}
    _write(out, roots)
    for name, data in ROOT_USER_FILES.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    manifest = Manifest("test", "spec.yaml", {"3-primary/main.tf": sha256_text("# p2\n")})
    write_tree(out, {"3-primary/main.tf": "# p2\n"}, manifest, force=force)  # 4-recovery gone
    now = snapshot(out)
    assert {name: now.get(name) for name in ROOT_USER_FILES} == ROOT_USER_FILES
    assert "4-recovery/main.tf" not in now and now["3-primary/main.tf"] == b"# p2\n"


def test_the_output_folder_is_never_renamed_so_a_mount_point_works(
    rendered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the old swap renamed the output folder, which fails on a mount point."""
    real_rename = os.rename

    def mount_point_rename(src: object, dst: object, **kwargs: object) -> None:
        if not kwargs and Path(str(src)).resolve() == rendered.resolve():
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        real_rename(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", mount_point_rename)
    (rendered / KMS).unlink()
    assert _render(rendered) == 0 and (rendered / KMS).is_file()


def test_where_flock_cannot_lock_a_folder_a_lock_file_takes_over(
    rendered: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """NFS maps flock to POSIX locks, which a folder descriptor cannot take."""

    def no_folder_flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_folder_flock)
    (rendered / KMS).unlink()
    assert _render(rendered) == 0 and (rendered / ".drgen.lock").is_file()
    ready_read, ready_write = os.pipe()
    holder = os.fork()
    if holder == 0:  # another process holds the POSIX lock (POSIX locks are per process)
        handle = os.open(rendered / ".drgen.lock", os.O_RDWR)
        fcntl.lockf(handle, fcntl.LOCK_EX)
        os.write(ready_write, b"x")
        time.sleep(30)
        os._exit(0)
    try:
        os.read(ready_read, 1)
        capsys.readouterr()
        assert _render(rendered) == 2
        assert "another drgen render is writing this folder" in capsys.readouterr().err
    finally:
        os.kill(holder, signal.SIGKILL)
        os.waitpid(holder, 0)
    assert _render(rendered, check=True) == 0
