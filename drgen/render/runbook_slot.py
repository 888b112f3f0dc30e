"""Where the runbook (drgen/runbook, owned separately) plugs into a rendered tree.

``render_spec`` adds ``files`` to the tree and places ``readme`` in the rendered README
after the layout section. Until the runbook renders its own artifacts this is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drgen.render.context import RenderContext
from drgen.spec.model import Spec


@dataclass(frozen=True)
class RunbookParts:
    files: dict[str, str] = field(default_factory=dict)  # tree-relative path -> text
    readme: str = ""  # Markdown with its own "##" headings


def runbook_parts(spec: Spec, context: RenderContext) -> RunbookParts:
    """The runbook's files and README sections for ``spec``."""
    del spec, context  # the runbook engineer's drgen.runbook fills this in
    return RunbookParts()
