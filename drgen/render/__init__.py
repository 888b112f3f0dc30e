"""Render a Spec into a Terraform tree (files in memory; writing is drgen.render.writer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drgen import __version__
from drgen.domain import WriteMode
from drgen.errors import DrgenError, Problem
from drgen.objectives import assess_spec, assessment_markdown
from drgen.render.addresses import planned_addresses
from drgen.render.context import RenderContext, build_context
from drgen.render.environment import environment
from drgen.render.fmt import format_hcl
from drgen.render.hcl import hcl_comment
from drgen.render.identifiers import Identifiers
from drgen.render.plan import ROOT_SIDE, ROOTS, PlannedFile, plan_files
from drgen.render.provider_floor import minimum_provider_version
from drgen.render.readme import ReadmeInputs, render_readme
from drgen.render.runbook_slot import runbook_parts
from drgen.render.used_names import used_names
from drgen.spec.model import Spec


@dataclass(frozen=True)
class RenderedTree:
    files: dict[str, str]  # relative posix path -> text, README.md included
    resources: frozenset[str]  # "<root>/<resource address>" of every managed resource
    warnings: tuple[str, ...]
    roots: tuple[str, ...] = ()  # the rendered roots, in apply order


def render_spec(spec: Spec) -> RenderedTree:
    """Render every file for ``spec``. Pure: reads templates, writes nothing."""
    _refuse_unacknowledged_write_local(spec)
    context = build_context(spec, __version__)
    ids = Identifiers(context.name)
    planned = plan_files(context)
    files: dict[str, str] = {}
    for unit in planned:
        text = _render_block(unit, context, ids)
        if text is not None:
            files[unit.path] = text
    roots = tuple(root for root in ROOTS if any(p.startswith(f"{root}/") for p in files))
    for root in roots:
        files |= _root_files(root, files, context, ids)
    resources = planned_addresses(files)
    runbook = runbook_parts(spec, context)
    files |= runbook.files
    files["README.md"] = render_readme(
        ReadmeInputs(
            context=context,
            ids=ids,
            roots=roots,
            variables={root: _variables_of(files[f"{root}/variables.tf"]) for root in roots},
            resources=resources,
            header=_header(context, "<!-- ", " -->"),
            assessment=_assessment(spec),
            runbook=runbook.readme,
        )
    )
    return RenderedTree(
        files=dict(sorted(files.items())),
        resources=resources,
        warnings=_warnings(spec, context),
        roots=roots,
    )


def _variables_of(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r'^variable "([\w-]+)"', text, re.MULTILINE))


def _assessment(spec: Spec) -> str:
    return assessment_markdown(assess_spec(spec))


def _render_block(planned: PlannedFile, context: RenderContext, ids: Identifiers) -> str | None:
    """One block's part in one root, or None when it has nothing to declare there."""
    body = (
        environment()
        .get_template(planned.template)
        .render(
            c=context,
            store=planned.store,
            ids=ids,
            root=planned.root,
            root_side=ROOT_SIDE[planned.root],
        )
    )
    if not body.strip():
        return None
    return format_hcl(_header(context, "# ", "") + "\n" + body)


def _root_files(
    root: str, files: dict[str, str], context: RenderContext, ids: Identifiers
) -> dict[str, str]:
    """versions.tf, variables.tf, outputs.tf and backend.tf.example of one root; variables
    and data sources are declared exactly when the root's blocks reference them."""
    env = environment()
    values = {"c": context, "ids": ids, "root": root, "side": ROOT_SIDE[root]}
    header = _header(context, "# ", "")
    out = {f"{root}/outputs.tf": env.get_template(f"outputs/{root}.tf.j2").render(**values)}
    used = "\n".join(text for path, text in files.items() if path.startswith(f"{root}/"))
    used += out[f"{root}/outputs.tf"]
    wanted = used_names(used) | {f"var.{ROOT_SIDE[root]}_region"}  # the provider's region
    out[f"{root}/variables.tf"] = env.get_template("variables/main.tf.j2").render(
        **values, wanted=wanted
    )
    floor = minimum_provider_version(
        text for path, text in files.items() if path.startswith(f"{root}/")
    )
    out[f"{root}/versions.tf"] = env.get_template("versions/main.tf.j2").render(
        **values, wanted=wanted, provider_floor=floor
    )
    result = {path: format_hcl(f"{header}\n{text.lstrip()}") for path, text in out.items()}
    result[f"{root}/backend.tf.example"] = format_hcl(
        header + env.get_template("versions/backend.tf.example.j2").render(**values)
    )
    return result


def _header(context: RenderContext, start: str, end: str) -> str:
    spec_file = hcl_comment(context.spec_file)
    if start.startswith("<!--"):  # the name cannot end the HTML comment or open another
        spec_file = spec_file.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f"{start}Generated by drgen {context.version} from {spec_file}. "
        f"Do not edit: change the spec and run `drgen render` again.{end}\n"
    )


def _refuse_unacknowledged_write_local(spec: Spec) -> None:
    acknowledged = bool((spec.dual_master_acknowledgement or "").strip())
    if spec.write_mode is WriteMode.WRITE_LOCAL and not acknowledged:
        raise DrgenError(
            Problem(
                "write_mode write-local makes both regions write the same data "
                "(last writer wins); drgen renders it only with an acknowledgement",
                file=str(spec.source) if spec.source else None,
                json_path="$.write_mode",
                hint="add dual_master_acknowledgement: <why lost concurrent writes are "
                "acceptable>, or use write_mode write-global / write-origin",
            )
        )


def _warnings(spec: Spec, context: RenderContext) -> tuple[str, ...]:
    warnings = list(context.backup.notes)
    if spec.write_mode is WriteMode.WRITE_LOCAL:
        stores = ", ".join(s.name for s in context.stores if s.multi_writer) or "none"
        warnings.append(
            "WRITE-LOCAL (dual master): both regions accept writes to the same data "
            f"(stores: {stores}); concurrent updates are resolved last-writer-wins and can be "
            "lost. Rendered only because dual_master_acknowledgement is set."
        )
    return tuple(warnings)
