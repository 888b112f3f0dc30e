"""Escaping filters: every string from a spec reaches HCL through one of these.

HCL quoted strings are templates, so besides the usual backslash escapes the
sequences ``${`` and ``%{`` must be escaped (``$${``, ``%%{``) to stay literal.
"""

from __future__ import annotations

from collections.abc import Iterable

_LINE_SEPARATORS = (0x2028, 0x2029)  # Unicode line/paragraph separators: shown as escapes
_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char]
    if _is_control(char):
        return f"\\u{ord(char):04X}"
    return char


def hcl_fragment(value: object) -> str:
    """Escape ``value`` for use inside an HCL quoted string (no surrounding quotes).

    ``${`` and ``%{`` become ``$${`` and ``%%{`` when a ``}`` follows later in the
    string, else ``\\u0024{`` and ``\\u0025{``: Terraform decodes both to the same
    literal, but python-hcl2 (which drgen lint and checkov read Terraform with) only
    accepts the doubled form when a closing brace follows.
    """
    text = str(value)
    escaped: list[str] = []
    for index, char in enumerate(text):
        if char in "$%" and text.startswith("{", index + 1):
            closed = "}" in text[index + 2 :]
            escaped.append(char + char if closed else f"\\u{ord(char):04X}")
        else:
            escaped.append(_escape_char(char))
    return "".join(escaped)


def hcl_string(value: object) -> str:
    """``value`` as a complete HCL string literal, quotes included."""
    return f'"{hcl_fragment(value)}"'


def hcl_list(values: Iterable[object]) -> str:
    """A one-line HCL tuple of string literals: ``["a", "b"]``."""
    return "[" + ", ".join(hcl_string(value) for value in values) + "]"


def hcl_comment(value: object) -> str:
    """Text safe to place after ``#`` on one line: control characters and line
    separators become spaces."""
    return "".join(" " if _is_control(char) else char for char in str(value))


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or code in _LINE_SEPARATORS
