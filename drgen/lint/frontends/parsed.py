"""What parsing one file yields, whichever parser ran (and what the cache stores)."""

from __future__ import annotations

from dataclasses import dataclass, field

from drgen.lint.model.roots import Block, Suppression


@dataclass(frozen=True)
class SyntaxProblem:
    """Where and why a file could not be parsed (1-based line and column)."""

    line: int
    column: int
    message: str


@dataclass
class ParsedFile:
    """A file's top-level body as a Block of type ``""``, or the reason it has none."""

    body: Block
    error: SyntaxProblem | None = None
    suppressions: tuple[Suppression, ...] = ()  # file "" until the caller places them
    comment_lines: frozenset[int] = field(default_factory=frozenset)  # comment-only lines


def empty_body(end_line: int = 1) -> Block:
    return Block(type="", labels=(), attributes={}, blocks=[], line=1, end_line=end_line)
