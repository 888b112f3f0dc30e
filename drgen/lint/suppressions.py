"""``# drgen:ignore[DR010,DR001] until=2027-03-31 reason`` comments, read from raw text.

``until=DATE`` may stand anywhere after the bracket (``reason until=DATE`` too); it is taken
out of the reason.

Comments are found by a line scan rather than by either parser, so both parsers
attach exactly the same suppressions.
"""

from __future__ import annotations

import re
from datetime import date

from drgen.lint.model import Block, Suppression

_IGNORE = re.compile(r"(?:#|//)\s*drgen:ignore\[([^\]]*)\](.*)$")
_UNTIL = re.compile(r"(?:^|(?<=\s))until=(\S*)")
_COMMENT_ONLY = re.compile(r"\s*(?:#|//|/\*)")


def scan(text: str) -> tuple[tuple[Suppression, ...], frozenset[int]]:
    """Every suppression comment (file left "") and the set of comment-only lines."""
    found: list[Suppression] = []
    comment_lines: set[int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if _COMMENT_ONLY.match(line):
            comment_lines.add(number)
        if "drgen:ignore" not in line:
            continue
        match = _IGNORE.search(line)
        if match:
            found.append(_suppression(match.group(1), match.group(2).strip(), number))
    return tuple(found), frozenset(comment_lines)


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
