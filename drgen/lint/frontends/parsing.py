"""Parse one file's bytes with the chosen parser, through the content-hash cache."""

from __future__ import annotations

from typing import Literal

from drgen.lint.frontends.parse_cache import ParseCache, cache_key
from drgen.lint.frontends.parsed import ParsedFile, SyntaxProblem, empty_body
from drgen.lint.frontends.suppressions import scan
from drgen.lint.model.roots import Block

ParserName = Literal["tree-sitter", "python-hcl2"]
PARSERS: tuple[ParserName, ...] = ("tree-sitter", "python-hcl2")


def parse_bytes(
    data: bytes, *, is_json: bool, parser: ParserName, cache: ParseCache | None
) -> ParsedFile:
    """Parse ``data`` (a .tf or, with ``is_json``, a .tf.json file); never raises."""
    kind = f"{parser}:{'json' if is_json else 'hcl'}"
    key = cache_key(data, kind) if cache else ""
    if cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    parsed = _parse(data, is_json=is_json, parser=parser)
    if cache:
        cache.put(key, parsed)
    return parsed


def _parse(data: bytes, *, is_json: bool, parser: ParserName) -> ParsedFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return ParsedFile(empty_body(), SyntaxProblem(line, column, "file is not valid UTF-8"))
    result: Block | SyntaxProblem
    if is_json:
        from drgen.lint.frontends.tf_json import parse_json

        result = parse_json(text)
    elif parser == "tree-sitter":
        from drgen.lint.frontends.treesitter import parse_hcl

        result = parse_hcl(text)
    else:
        from drgen.lint.frontends.hcl2 import parse_hcl as parse_hcl_reference

        result = parse_hcl_reference(text)
    if isinstance(result, SyntaxProblem):
        return ParsedFile(empty_body(text.count("\n") + 1), result)
    suppressions, comment_lines = ((), frozenset[int]()) if is_json else scan(text)
    return ParsedFile(result, None, suppressions, comment_lines)
