"""Where the runbook (drgen/runbook) plugs into a rendered tree.

``render_spec`` adds ``files`` to the tree and places ``readme`` in the rendered README
after the layout section.
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
    """The runbook's scripts (runbook/failover.sh, runbook/failback.sh) and README sections."""
    from drgen.runbook import readme_sections, render_files

    del context  # the runbook reads the spec itself (drgen.runbook.context)
    return RunbookParts(files=render_files(spec), readme=readme_sections(spec))
