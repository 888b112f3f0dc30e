"""The one Jinja2 environment that renders templates/ (strict, no autoescape)."""

from __future__ import annotations

import shlex
from functools import cache

import jinja2

from drgen.render.hcl import hcl_comment, hcl_fragment, hcl_list, hcl_string
from drgen.render.names import aws_name, aws_name_prefix
from drgen.resources import data_dir


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # HCL and Markdown, never HTML: escaping is the hcl filters' job
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["hcl"] = hcl_string
    env.filters["hcl_fragment"] = hcl_fragment
    env.filters["hcl_list"] = hcl_list
    env.filters["hcl_comment"] = hcl_comment
    env.filters["mermaid"] = mermaid_text
    env.filters["markdown"] = markdown_text
    env.filters["markdown_code"] = markdown_code
    env.filters["shell_word"] = shell_word
    env.filters["aws_name"] = aws_name
    env.filters["aws_name_prefix"] = aws_name_prefix
    return env


def markdown_text(value: object) -> str:
    """Literal inline Markdown on one line: no HTML, links, emphasis, headings or ``-->``."""
    from drgen.report.markdown import escape

    return escape(hcl_comment(value))


def markdown_code(value: object) -> str:
    """A Markdown code span holding ``value`` literally: the fence is longer than any run of
    backticks inside, control characters and line breaks become spaces."""
    text = hcl_comment(value)
    fence = "`" * (max(_backtick_runs(text), default=0) + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else text
    return f"{fence}{padded}{fence}"


def shell_word(value: object) -> str:
    """One POSIX shell word holding ``value`` literally (for commands shown in the README)."""
    return shlex.quote(hcl_comment(value))


def _backtick_runs(text: str) -> list[int]:
    runs: list[int] = []
    current = 0
    for char in text:
        if char == "`":
            current += 1
        elif current:
            runs.append(current)
            current = 0
    return [*runs, current] if current else runs


def mermaid_text(value: object) -> str:
    """Text for inside a quoted Mermaid label: quotes and markup become entities."""
    text = hcl_comment(value)
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text
