"""Literal decoding shared by both HCL parsers, so they agree to the character.

Each parser finds the raw source of a literal (a quoted string without
interpolation, a heredoc, a number); these functions turn that text into the
Python value the model holds.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_INT = re.compile(r"-?[0-9]+")


def _replace_escape(match: re.Match[str]) -> str:
    text = match.group(0)
    if text == "$${":
        return "${"
    if text == "%%{":
        return "%{"
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except ValueError:  # beyond U+10FFFF: keep the text as written
            return text
    return _SIMPLE_ESCAPES.get(code, text)


def unescape_quoted(raw: str) -> str:
    """The value of a quoted string's body (between the quotes) with no interpolation."""
    return _ESCAPE.sub(_replace_escape, raw)


def heredoc_value(raw: str) -> str:
    """The value of ``<<EOT ... EOT`` (raw text from ``<<`` through the end marker).

    Heredoc bodies keep backslashes as written; only ``$${``/``%%{`` are escapes.
    ``<<-`` removes the indentation common to every non-blank line.
    """
    lines = raw.split("\n")  # Terraform ends lines at \n only (not U+2028, form feeds)
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    body = lines[1:-1]
    if raw.startswith("<<-"):
        indents = [len(line) - len(line.lstrip(" \t")) for line in body if line.strip()]
        cut = min(indents, default=0)
        body = [line[cut:] if line.strip() else line.lstrip(" \t") for line in body]
    return "".join(body).replace("$${", "${").replace("%%{", "%{")


def number(text: str) -> int | float:
    return int(text) if _INT.fullmatch(text) else float(text)


def traversal_name(parts: list[str]) -> str | None:
    """``["aws_s3_bucket", "x", "arn"]`` -> ``"aws_s3_bucket.x.arn"``; bare names -> None."""
    return ".".join(parts) if len(parts) >= 2 else None
