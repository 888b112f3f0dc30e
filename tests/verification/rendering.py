"""Render every case once and write its tree where the external tools can read it."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from drgen.errors import DrgenError
from drgen.render import RenderedTree, render_spec
from drgen.spec import Spec, load_spec

from .cases import Case, all_cases, write_spec
from .pipeline import write_tree


@dataclass(frozen=True)
class RenderedCase:
    case: Case
    directory: Path  # where the tree was written: <trees>/<case id>/
    spec: Spec | None = None
    tree: RenderedTree | None = None
    error: str | None = None  # why the spec did not load or render

    def require_tree(self) -> RenderedTree:
        if self.tree is None:
            pytest.fail(f"{self.case.id} did not render: {self.error}", pytrace=False)
        return self.tree


def render_cases(
    trees: Path, specs: Path, cases: Sequence[Case] | None = None
) -> dict[str, RenderedCase]:
    """Each case (default: all) through the real loader and renderer; a failure fails that
    case only."""
    out = {}
    for case in all_cases() if cases is None else cases:
        directory = trees / case.id
        try:
            spec = load_spec(write_spec(case, specs))
            tree = render_spec(spec)
        except DrgenError as error:
            out[case.id] = RenderedCase(case, directory, error=error.format())
            continue
        except Exception:  # a render bug fails this case only, with its traceback
            out[case.id] = RenderedCase(case, directory, error=traceback.format_exc())
            continue
        write_tree(tree.files, directory)
        out[case.id] = RenderedCase(case, directory, spec, tree)
    return out
