"""Decide what a render changes in its output folder, and refuse what it must not touch.

Only two kinds of path are ever changed: files the new tree renders, and files the previous
manifest lists. A rendered path is written when it is absent or holds what drgen wrote last
time (unless --force: then also over a hand edit); anything else there (a file drgen did not
write, a folder, a link, a FIFO) stops the render before it changes anything. A file no longer
rendered is removed only when it is still exactly what drgen wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drgen.errors import Problem
from drgen.render.journal import Removal, Write
from drgen.render.manifest import (
    Manifest,
    sha256_as_rendered,
    sha256_bytes,
    sha256_text,
)
from drgen.render.tree_io import OnDisk, inspect

MIGRATION_SECTION = "Migrating from a 0.1 single-root tree"
_STATE_NAMES = ("terraform.tfstate", "terraform.tfstate.d", ".terraform")


@dataclass
class WritePlan:
    writes: list[Write] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # no longer rendered, edited by hand
    left_alone: list[str] = field(default_factory=list)  # listed, but no longer a plain file
    problems: list[Problem] = field(default_factory=list)


def plan_writes(
    out: int,
    out_path: Path,
    files: dict[str, str],
    old: Manifest | None,
    *,
    force: bool,
    migrate_layout: bool,
) -> WritePlan:
    """What writing ``files`` over the tree in ``out`` changes (problems: refuse it all)."""
    plan = WritePlan()
    recorded = old.files if old else {}
    if old and not migrate_layout and single_root_upgrade(old, files):
        plan.problems.append(_migration_problem(out, out_path, old))
        return plan
    for name, text in files.items():
        state = inspect(out, name)
        if state.kind == "absent":
            plan.writes.append(Write(name, text, None))
            continue
        problem = _refusal(out_path, name, state, recorded, force=force, text=text)
        if problem:
            plan.problems.append(problem)
        elif state.data is not None and sha256_as_rendered(state.data) != sha256_text(text):
            plan.writes.append(Write(name, text, sha256_bytes(state.data)))
    for name, digest in sorted(recorded.items()):
        if name in files:
            continue
        state = inspect(out, name)
        if state.kind == "absent":
            continue
        if not state.is_file:
            plan.left_alone.append(name)
        elif state.data is not None and sha256_as_rendered(state.data) == digest:
            plan.removals.append(Removal(name, sha256_bytes(state.data)))
        else:
            plan.kept_edited.append(name)
    return plan


def _refusal(
    out_path: Path,
    name: str,
    state: OnDisk,
    recorded: dict[str, str],
    *,
    force: bool,
    text: str,
) -> Problem | None:
    """Why the existing ``name`` must not be replaced, or None when it may be."""
    if not state.is_file:
        return Problem(
            f"{_KIND_MESSAGES[state.kind]}; refusing to touch it",
            file=str(out_path / (state.where or name)),
            hint="move it away (drgen never deletes what it did not write), or render into "
            "another folder",
        )
    if state.data is None:
        return Problem(
            "is over 16 MiB, so drgen did not write it; refusing to overwrite it",
            file=str(out_path / name),
            hint="move the file away, or render into another folder",
        )
    on_disk = sha256_as_rendered(state.data)
    if on_disk == sha256_text(text):
        return None
    if name not in recorded:
        return Problem(
            "not written by drgen (no manifest entry); refusing to overwrite it",
            file=str(out_path / name),
            hint="move or delete the file, or render into an empty directory",
        )
    if on_disk != recorded[name] and not force:
        return Problem(
            "edited by hand since drgen rendered it; refusing to overwrite it",
            file=str(out_path / name),
            hint="move the change into the spec, or re-run with --force to discard it",
        )
    return None


_KIND_MESSAGES = {
    "folder": "is a folder where drgen renders a file",
    "link": "is a symbolic link (drgen never writes through a link)",
    "special": "is a special file (FIFO, socket or device)",
    "notfolder": "is a file where drgen needs a folder",
}


def single_root_upgrade(old: Manifest, files: dict[str, str]) -> bool:
    """A 0.1 tree (Terraform files at the top) about to become 0.2 roots in subfolders."""
    old_top = any("/" not in name and name.endswith(".tf") for name in old.files)
    new_top = any("/" not in name and name.endswith(".tf") for name in files)
    return old_top and not new_top and any("/" in name for name in files)


def _migration_problem(out: int, out_path: Path, old: Manifest) -> Problem:
    state = [name for name in _STATE_NAMES if inspect(out, name).kind != "absent"]
    found = f"; Terraform state is here too ({', '.join(state)})" if state else ""
    return Problem(
        f"holds a drgen {old.drgen_version} single-root tree (Terraform files at the top "
        f"level{found}); this drgen renders one root per folder, each with its own state, "
        "so applying them would create every resource a second time beside the ones the "
        "old state tracks",
        file=str(out_path),
        hint=f"render into a new folder, follow its README section '{MIGRATION_SECTION}' "
        "to move the state into the new roots, then run again here with --migrate-layout "
        "(drgen then removes only the unedited top-level files it wrote; state files, "
        ".terraform/ and your own files stay)",
    )
