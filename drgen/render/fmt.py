"""Bring rendered HCL to ``terraform fmt`` layout.

Templates already use two-space indentation and canonical spacing; this pass does
what is awkward to do by hand in Jinja: drop trailing spaces, collapse runs of blank
lines, remove blank lines just inside braces, separate top-level blocks by one blank
line, and align the ``=`` of consecutive single-line attributes the way hclwrite does.
hclwrite's rule: a line joins an alignment group when it is ``key = value`` with
balanced brackets; any other line (blank, comment, block header, multi-line value,
closing brace) ends the group.
"""

from __future__ import annotations

import re

_OPENERS = "([{"
_CLOSERS = ")]}"
_BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def format_hcl(text: str) -> str:
    """Return ``text`` laid out as ``terraform fmt`` would (for drgen's own templates)."""
    # split("\n"), not splitlines(): U+2028 and friends inside strings are not line breaks
    lines = _tidy_blank_lines([line.rstrip(" \t\r") for line in text.split("\n")])
    return "\n".join(_align_groups(lines)).rstrip("\n") + "\n"


def _tidy_blank_lines(lines: list[str]) -> list[str]:
    tidy: list[str] = []
    for line in lines:
        if line and tidy and tidy[-1] == "}":
            tidy.append("")  # one blank line between top-level blocks
        if not line and (not tidy or not tidy[-1] or tidy[-1].endswith(("{", "[", "("))):
            continue
        if line.lstrip().startswith(("}", "]", ")")) and tidy and not tidy[-1]:
            tidy.pop()
        tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def _align_groups(lines: list[str]) -> list[str]:
    out: list[str] = []
    group: list[tuple[str, str]] = []  # (lead, "= rest")

    def flush() -> None:
        width = max((len(lead) for lead, _ in group), default=0)
        out.extend(f"{lead.ljust(width)} {assign}" for lead, assign in group)
        group.clear()

    for line in lines:
        split = _split_assignment(line)
        if split is None:
            flush()
            out.append(line)
        else:
            group.append(split)
    flush()
    return out


def _split_assignment(line: str) -> tuple[str, str] | None:
    """``  key   = value`` -> ("  key", "= value") when value's brackets balance."""
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    key_end = _key_end(body)
    if key_end is None:
        return None
    rest = body[key_end:].lstrip(" ")
    if not rest.startswith("=") or rest.startswith("=="):
        return None
    value = rest[1:].strip()
    if not value or _bracket_balance(value) != 0:
        return None
    return indent + body[:key_end], "= " + value


def _key_end(body: str) -> int | None:
    if body.startswith('"'):
        end = _string_end(body, 0)
        return end
    match = _BARE_KEY.match(body)
    return match.end() if match else None


def _string_end(text: str, start: int) -> int | None:
    """Index just past the quoted string starting at ``start`` (escapes honoured)."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        index += 1
    return None


def _bracket_balance(value: str) -> int:
    balance = 0
    index = 0
    while index < len(value):
        char = value[index]
        if char == '"':
            end = _string_end(value, index)
            if end is None:
                return 1
            index = end
            continue
        if char == "#":
            break
        if char in _OPENERS:
            balance += 1
        elif char in _CLOSERS:
            balance -= 1
        index += 1
    return balance
