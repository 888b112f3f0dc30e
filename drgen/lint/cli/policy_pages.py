"""A policy's doc page, as terminal text (`drgen policies show`) or Markdown (docs/policies/).

Both formats render the same sections in the same order, so the committed docs and the command
never drift: tests/test_policies_docs.py regenerates docs/policies/ from the YAML.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from enum import StrEnum

from drgen.lint.engine.catalog import Match, Policy


class PageFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class _Section:
    heading: str
    body: str
    is_code: bool = False  # HCL, shown verbatim


def policy_page(policy: Policy, page_format: PageFormat = PageFormat.TEXT) -> str:
    """Title, severity and source, What it does, Why is this bad, the failing example, Use
    instead (the passing example), How to fix."""
    title = f"{policy.id}: {policy.title}"
    origin = "built-in" if policy.builtin else f"from {policy.source}"
    sections = _sections(policy)
    if page_format is PageFormat.MARKDOWN:
        runs = f"check `{policy.check}`" if policy.check else "declarative match"
        header = (
            f"# {title}\n\n**Severity:** {policy.severity.value} (default; override it per id in "
            f"the configuration) · **Source:** {origin}, {runs}\n"
        )
        return "\n".join([header, *map(_markdown, sections)])
    runs = f"check {policy.check}" if policy.check else "declarative match"
    header = (
        f"{title}\n\nSeverity: {policy.severity.value} (default; override it per id in the "
        f"configuration)\nSource: {origin}, {runs}\n"
    )
    return "\n".join([header, *map(_text, sections)])


def catalog_index(policies: list[Policy]) -> str:
    """docs/policies/README.md: one table row per policy, linking its page."""
    rows = [f"| [{p.id}]({p.id}.md) | {p.severity.value} | {_cell(p.title)} |\n" for p in policies]
    return (
        "# drgen policies\n\n"
        "Generated from `policies/*.yaml` by `pytest --update-goldens`; do not edit by hand.\n"
        "`drgen policies show ID` prints the same pages in a terminal.\n\n"
        "| ID | Severity | Title |\n|----|----------|-------|\n" + "".join(rows)
    )


def _sections(policy: Policy) -> list[_Section]:
    what = policy.summary or f"Reports: {policy.title}."
    if policy.match is not None:
        what += f"\n\nMatches {_match_text(policy.match)}."
    return [
        _Section("What it does", what),
        _Section("Why is this bad", policy.rationale),
        _Section("Example (failing)", policy.failing_example, is_code=True),
        _Section("Use instead (passing)", policy.passing_example, is_code=True),
        _Section("How to fix", policy.remediation),
    ]


def _match_text(match: Match) -> str:
    conditions = [
        f"{c.attribute} {c.test.replace('_', ' ')}"
        + ("" if c.operand is None else f" {c.operand!r}")
        for c in match.conditions
    ]
    return f"{', '.join(match.resource_types)} where " + " and ".join(conditions)


def _text(section: _Section) -> str:
    return f"{section.heading}\n{textwrap.indent(section.body.strip(), '    ')}\n"


def _markdown(section: _Section) -> str:
    body = section.body.strip()
    if section.is_code:
        body = f"```hcl\n{textwrap.dedent(section.body).strip()}\n```"
    return f"## {section.heading}\n\n{body}\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
