"""The one Jinja2 environment that renders templates/ (strict, no autoescape)."""

from __future__ import annotations

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
    env.filters["aws_name"] = aws_name
    env.filters["aws_name_prefix"] = aws_name_prefix
    return env


def mermaid_text(value: object) -> str:
    """Text for inside a quoted Mermaid label: quotes and markup become entities."""
    text = hcl_comment(value)
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text
