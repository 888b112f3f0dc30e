"""``# drgen:ignore[DR010,DR001] until=2027-03-31 reason`` comments.

``until=DATE`` may stand anywhere after the bracket (``reason until=DATE`` too); it is taken
out of the reason.

Only real ``#`` and ``//`` comments count (drgen.lint.frontends.hcl_comments skips strings,
templates and heredocs), with lines counted as Terraform counts them; both parsers attach
exactly the same suppressions because neither is asked.
"""

from __future__ import annotations

import re
from datetime import date

from drgen.lint.frontends.hcl_comments import comments
from drgen.lint.model.roots import Block, Suppression

_MARKER = "drgen:ignore"
_UNTIL = re.compile(r"(?:^|(?<=\s))until=(\S*)")


def scan(text: str) -> tuple[tuple[Suppression, ...], frozenset[int]]:
    """Every suppression comment (file left "") and the set of comment-only lines."""
    found: list[Suppression] = []
    comment_lines: set[int] = set()
    for comment in comments(text):
        if comment.own_line:
            comment_lines.update(range(comment.line, comment.end_line + 1))
        if comment.block:
            continue
        body = comment.text.lstrip(" \t#/")
        if body.startswith(_MARKER):
            suppression = _read(body[len(_MARKER) :], comment.line)
            if suppression is not None:
                found.append(suppression)
    return tuple(found), frozenset(comment_lines)


def _read(after_marker: str, line: int) -> Suppression | None:
    """The suppression a comment starting ``drgen:ignore`` states (None: another word, such
    as ``drgen:ignored``). One without ids in brackets waives nothing (a DR000 finding)."""
    if not after_marker.startswith("["):
        if after_marker[:1].isalnum() or after_marker[:1] in "_-":
            return None
        return Suppression((), after_marker.strip(), "", line)
    close = after_marker.find("]")
    if close < 0:
        return Suppression((), after_marker[1:].strip(), "", line)
    return _suppression(after_marker[1:close], after_marker[close + 1 :].strip(), line)


def _suppression(ids: str, rest: str, line: int) -> Suppression:
    rule_ids = tuple(part.strip() for part in ids.split(",") if part.strip())
    until_match = _UNTIL.search(rest)
    if not until_match:
        return Suppression(rule_ids, rest, "", line)
    raw = until_match.group(1)
    try:
        until = date.fromisoformat(raw)
    except ValueError:
        problem = f"until={raw!r} is not a date written YYYY-MM-DD, so it never expires"
        return Suppression(rule_ids, rest, "", line, None, problem)
    reason = " ".join((rest[: until_match.start()] + rest[until_match.end() :]).split())
    return Suppression(rule_ids, reason, "", line, until)


def attach(
    block: Block, suppressions: tuple[Suppression, ...], comment_lines: frozenset[int]
) -> tuple[Suppression, ...]:
    """Suppressions inside ``block`` or in the comment lines directly above its header."""
    first = block.line
    while first - 1 in comment_lines:
        first -= 1
    return tuple(s for s in suppressions if first <= s.line <= block.end_line)
