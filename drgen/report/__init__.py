"""Report formats: one module per format, chosen from a dict, each ``render(ReportInput) -> str``.

Modules are imported on first use so ``drgen lint`` loads only the formats it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from drgen.report.model import ReportInput

# format name -> (module under drgen.report, file name used with --output-dir)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "drgen.txt"),
    "json": ("json", "drgen.json"),
    "sarif": ("sarif", "drgen.sarif"),
    "github": ("github", "drgen-github.txt"),
    "junit": ("junit", "drgen.xml"),
    "gitlab": ("gitlab", "drgen-gitlab.json"),
    "markdown": ("markdown", "drgen.md"),
}


def renderer(name: str) -> Callable[[ReportInput], str]:
    """The render function of format ``name`` (a key of FORMATS)."""
    module = import_module(f"drgen.report.{FORMATS[name][0]}")
    render: Callable[[ReportInput], str] = module.render
    return render


def file_name(name: str) -> str:
    return FORMATS[name][1]


__all__ = ["FORMATS", "ReportInput", "file_name", "renderer"]
