"""Kill renders at every file-system step and at random instants: nothing of the user's is lost.

A multi-root tree (files in subfolders, a folder that appears, one that goes) is rendered over
an older one in a folder full of user files: Terraform state, .terraform/, the user's own .tf
files, a hand-edited file drgen no longer renders. The render runs in a forked child that
drgen.faults kills just before its Nth step: every N for SIGKILL, every fourth for SIGTERM
and SIGINT, plus kills at random instants. After each kill every user file must be intact and
every rendered path hold its old or new contents; after one more render the tree is new.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from drgen import atomic
from drgen.render import render_spec
from drgen.render.manifest import JOURNAL_NAME, MANIFEST_NAME, Manifest, sha256_text
from drgen.render.writer import write_tree
from drgen.spec.loader import load_spec_with_warnings
from tests.fault_support import count_steps, killed_by, run_killed, snapshot
from tests.render_support import REPO

USER_FILES = {
    "terraform.tfstate": b'{"version": 4, "serial": 7}\n',
    "terraform.tfstate.d/prod/terraform.tfstate": b'{"version": 4}\n',
    ".terraform/providers/registry/aws": b"provider binary\n",
    "3-primary/terraform.tfstate": b'{"version": 4, "serial": 2}\n',
    "3-primary/.terraform/modules/modules.json": b"{}\n",
    "3-primary/override.tf": b"# the user's own override\n",
    "mine.tf": b'resource "null_resource" "mine" {}\n',
}
EDITED = "5-dns/old_only.tf"  # rendered only by the old tree, then edited by hand: kept


def _roots(files: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """Spread a flat rendered tree over root folders, the way the 0.2 layout does."""
    roots = ("1-global", "2-recovery-storage", "3-primary", "4-recovery")
    spread = {
        (name if name == "README.md" else f"{roots[index % len(roots)]}/{name}"): files[name]
        for index, name in enumerate(sorted(files))
    }
    return {**spread, **extra}


def _tree(spec: str, extra: dict[str, str]) -> dict[str, str]:
    return _roots(render_spec(load_spec_with_warnings(REPO / "samples" / spec)[0]).files, extra)


OLD = _tree(
    "backup-restore.yaml",
    {"6-gone/only_old.tf": "# goes away with its folder\n", EDITED: "# old\n"},
)
NEW = _tree("warm-standby.yaml", {"7-new/deep/only_new.tf": "# a folder drgen creates\n"})
THIRD = _tree("pilot-light.yaml", {})


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """A killed process loses nothing from the page cache: fsync matters only for power loss,
    which no test here simulates, so skipping it keeps hundreds of kills fast."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def _write(out: Path, files: dict[str, str]) -> None:
    manifest = Manifest("test", "spec.yaml", {n: sha256_text(t) for n, t in files.items()})
    write_tree(out, files, manifest, force=False)


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The old tree with user files (the starting point), and the expected outcomes."""
    base = tmp_path_factory.mktemp("trees")
    old = base / "old"
    _write(old, OLD)
    for name, data in USER_FILES.items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(data)
    (old / EDITED).write_text("# edited by hand\n", encoding="utf-8")
    for name, files in (("new", NEW), ("third", THIRD)):
        shutil.copytree(old, base / name, symlinks=True)
        _write(base / name, files)
    return {"old": old, "new": base / "new", "third": base / "third", "work": base / "work"}


def _fresh(trees: dict[str, Path]) -> Path:
    work = trees["work"]
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(trees["old"], work, symlinks=True)
    return work


def _assert_nothing_lost(out: Path, trees: dict[str, Path], where: str) -> None:
    """User files intact; each other path holds old or new bytes (or drgen's bookkeeping)."""
    now = snapshot(out)
    old, new = snapshot(trees["old"]), snapshot(trees["new"])
    for name, data in USER_FILES.items():
        assert now.get(name) == data, f"{where}: user file {name} lost or changed"
    assert now.get(EDITED) == b"# edited by hand\n", f"{where}: hand edit lost"
    for name, data in now.items():
        base = name.rsplit("/", 1)[-1]
        if name == JOURNAL_NAME or atomic.is_temp_name(base):
            continue
        assert data in (old.get(name), new.get(name)), f"{where}: {name} is neither old nor new"
    for name in old.keys() & new.keys():
        assert name in now, f"{where}: {name} vanished"


def _steps(trees: dict[str, Path]) -> int:
    out = _fresh(trees)
    return count_steps(lambda: _write(out, NEW))


def test_the_tree_has_enough_steps_to_be_worth_killing(trees: dict[str, Path]) -> None:
    assert _steps(trees) > 3 * len(NEW)  # create, write, fsync, rename per file at least


@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda sig: sig.name
)
def test_killed_at_every_step_nothing_is_lost_and_the_next_render_finishes(
    trees: dict[str, Path], sig: signal.Signals
) -> None:
    steps = _steps(trees)
    # SIGINT and SIGTERM wait while the journal is applied, so most of their kill points
    # behave alike: every fourth step of those; every single step of SIGKILL.
    for at in range(1, steps + 1, 1 if sig == signal.SIGKILL else 4):
        out = _fresh(trees)
        status = run_killed(lambda: _write(out, NEW), at, sig)  # noqa: B023 (runs right here)
        assert killed_by(status) in (sig, None), f"step {at}: child status {status}"
        _assert_nothing_lost(out, trees, f"{sig.name} at step {at}/{steps}")
        if sig != signal.SIGKILL:  # these wait for the journal to be applied: old or new
            assert snapshot(out) in (snapshot(trees["old"]), snapshot(trees["new"])), at
        _write(out, NEW)
        assert snapshot(out) == snapshot(trees["new"]), f"{sig.name} at step {at}: not new"


def test_killed_then_rendered_from_another_spec_gives_that_tree(trees: dict[str, Path]) -> None:
    steps = _steps(trees)
    for at in range(2, steps, max(1, steps // 12)):
        out = _fresh(trees)
        run_killed(lambda: _write(out, NEW), at, signal.SIGKILL)  # noqa: B023
        _write(out, THIRD)
        assert snapshot(out) == snapshot(trees["third"]), f"SIGKILL at step {at}"


def test_killed_at_random_instants_nothing_is_lost(trees: dict[str, Path]) -> None:
    out = _fresh(trees)
    started = time.perf_counter()
    _write(out, NEW)
    duration = time.perf_counter() - started
    chooser = random.Random(20261204)
    for attempt in range(30):
        out = _fresh(trees)
        sig = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)[attempt % 3]
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _write(out, NEW)
            except BaseException:
                code = 70
            os._exit(code)
        time.sleep(chooser.uniform(0, duration * 1.5))
        os.kill(pid, sig)
        os.waitpid(pid, 0)
        _assert_nothing_lost(out, trees, f"{sig.name} at random instant {attempt}")
        _write(out, NEW)
        assert snapshot(out) == snapshot(trees["new"]), f"random kill {attempt}: not new"
        assert not (out / JOURNAL_NAME).exists() and (out / MANIFEST_NAME).is_file()
