"""File names as drgen prints them (reports, messages, rendered headers)."""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(name: str) -> str:
    """``name`` with bytes that are not UTF-8 (lone surrogates from ``os.fsdecode``) and control
    characters as ``\\xNN`` escapes, so no report, terminal, CI annotation or rendered file
    breaks on (or obeys) them."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
