"""The rendered tree's README.md: architecture, layout and apply order, variables per root."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drgen.render.context import RenderContext
from drgen.render.environment import environment
from drgen.render.identifiers import Identifiers


@dataclass(frozen=True)
class ReadmeInputs:
    context: RenderContext
    ids: Identifiers
    roots: tuple[str, ...]  # rendered roots in apply order
    variables: Mapping[str, tuple[str, ...]]  # root -> variables it declares
    resources: frozenset[str]  # "<root>/<address>" of every managed resource
    header: str
    assessment: str  # Markdown of the RPO/RTO estimate
    runbook: str  # Markdown sections the runbook renders ("" until it does)


def render_readme(inputs: ReadmeInputs) -> str:
    addresses = {
        root: sorted(
            address.split("/", 1)[1]
            for address in inputs.resources
            if address.startswith(f"{root}/")
        )
        for root in inputs.roots
    }
    return (
        environment()
        .get_template("readme/README.md.j2")
        .render(
            c=inputs.context,
            ids=inputs.ids,
            roots=inputs.roots,
            variables=inputs.variables,
            addresses=addresses,
            header=inputs.header,
            assessment=inputs.assessment,
            runbook=inputs.runbook,
        )
    )
