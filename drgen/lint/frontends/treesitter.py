"""The fast parser: tree-sitter-hcl syntax tree -> model Blocks with exact lines.

tree-sitter recovers from errors; drgen still treats a file with any error node
as unparsed (its FileError names the first one), so both parsers yield the same
model for the same text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from drgen.lint.frontends.hcl_text import heredoc_value, number, traversal_name, unescape_quoted
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.model.roots import Block, Expression, Value

if TYPE_CHECKING:
    from tree_sitter import Node, Parser


@cache
def _parser() -> Parser:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


# tree-sitter-hcl misreads a literal "$" or "%" right before an escaped "$${" / "%%{" (drgen
# renders "%%{x}" as "%%%{x}", which Terraform reads back literally). Those leading characters
# are swapped for a same-width control character while parsing and swapped back in every
# node's text, so lines, columns and values stay exact.
_RUN = re.compile(r"\$+|%+")  # each character is looked at once: linear on any input
_STAND_INS = {"$": "\x01", "%": "\x02"}
_RESTORE = str.maketrans({stand_in: char for char, stand_in in _STAND_INS.items()})


def _shield_escapes(text: str) -> str:
    if any(stand_in in text for stand_in in _STAND_INS.values()):
        return text  # the stand-ins would be ambiguous; leave the text as written
    pieces: list[str] = []
    index = 0
    for run in _RUN.finditer(text):
        start, end = run.span()
        if end - start >= 3 and text.startswith("{", end):
            char = text[start]
            pieces += [text[index:start], _STAND_INS[char] * (end - start - 2), char * 2]
            index = end
    return "".join([*pieces, text[index:]]) if pieces else text


def parse_hcl(text: str) -> Block | SyntaxProblem:
    """Parse HCL source (BOM already removed) into the file's body Block."""
    source = _shield_escapes(text).encode("utf-8")
    tree = _parser().parse(source)
    root = tree.root_node
    if root.has_error:
        return _first_error(root, source)
    body = next((c for c in root.named_children if c.type == "body"), None)
    end_line = root.end_point.row + 1
    if body is None:
        return Block(type="", labels=(), attributes={}, blocks=[], line=1, end_line=end_line)
    try:
        file_block = _body_block("", (), body, line=1, end_line=end_line)
    except RecursionError:
        return SyntaxProblem(1, 1, "expressions nested too deeply to analyse")
    return file_block


def _first_error(root: Node, source: bytes) -> SyntaxProblem:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            return _problem(source, node.start_byte, f"syntax error: missing {node.type!r}")
        if node.type == "ERROR":
            if source[node.end_byte :].strip():
                near = _text(node).split("\n", 1)[0][:40]
                return _problem(source, node.start_byte, f"syntax error near {near!r}")
            # an unterminated construct swallows the rest of the file: blame its end
            last = _text(node).rstrip().rsplit("\n", 1)[-1].strip()[-40:]
            end = len(source[: node.end_byte].rstrip())
            return _problem(source, end, f"syntax error: file ends inside {last!r}")
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return SyntaxProblem(1, 1, "syntax error")


def _problem(source: bytes, offset: int, message: str) -> SyntaxProblem:
    """A problem at byte ``offset``, with a 1-based line and character column."""
    line_start = source.rfind(b"\n", 0, offset) + 1
    column = len(source[line_start:offset].decode("utf-8", "replace")) + 1
    return SyntaxProblem(source.count(b"\n", 0, offset) + 1, column, message)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace").translate(_RESTORE)


def _body_block(
    block_type: str, labels: tuple[str, ...], body: Node | None, line: int, end_line: int
) -> Block:
    block = Block(
        type=block_type, labels=labels, attributes={}, blocks=[], line=line, end_line=end_line
    )
    for child in body.named_children if body is not None else ():
        if child.type == "attribute":
            name = _text(child.named_children[0])
            expr = next(c for c in child.named_children if c.type == "expression")
            block.attributes[name] = _value(expr)
            block.attribute_lines[name] = child.start_point.row + 1
        elif child.type == "block":
            block.blocks.append(_block(child))
    return block


def _block(node: Node) -> Block:
    parts = node.named_children
    labels = tuple(_label(p) for p in parts[1:] if p.type in ("string_lit", "identifier"))
    body = next((p for p in parts if p.type == "body"), None)
    return _body_block(
        _text(parts[0]), labels, body, node.start_point.row + 1, node.end_point.row + 1
    )


def _label(node: Node) -> str:
    if node.type == "identifier":
        return _text(node)
    return unescape_quoted(_quoted_body(node))


def _quoted_body(node: Node) -> str:
    """Raw text between the quotes of a string_lit / quoted_template."""
    return _text(node)[1:-1]


def _value(expr: Node) -> Value:
    """Convert an ``expression`` node (or one of its direct forms) to a model value."""
    node = expr.children[0] if expr.type == "expression" and expr.child_count == 1 else expr
    kind = node.type
    if kind == "literal_value":
        return _literal(node.named_children[0])
    if kind == "collection_value":
        return _collection(node.named_children[0])
    if kind == "template_expr":
        template = node.named_children[0]
        if not _is_template(template):
            if template.type == "heredoc_template":
                return heredoc_value(_text(template))
            return unescape_quoted(_quoted_body(template))
    if kind == "operation":
        negated = _negative_number(node)
        if negated is not None:
            return negated
    return Expression(_text(node).strip(), tuple(sorted(set(_references(node)))))


def _is_template(template: Node) -> bool:
    """Has a directive or a real interpolation (``$${`` and ``$$${`` are literal text)."""
    text = template.text or b""
    for part in template.named_children:
        if part.type == "template_directive":
            return True
        if part.type == "template_interpolation":
            offset = part.start_byte - template.start_byte
            if offset == 0 or text[offset - 1 : offset] != b"$":
                return True
    return False


def _literal(node: Node) -> Value:
    if node.type == "numeric_lit":
        return number(_text(node))
    if node.type == "bool_lit":
        return _text(node) == "true"
    if node.type == "null_lit":
        return None
    return unescape_quoted(_quoted_body(node))


def _negative_number(operation: Node) -> int | float | None:
    unary = operation.named_children[0]
    if unary.type != "unary_operation" or _text(unary.children[0]) != "-":
        return None
    operand = unary.named_children[-1]
    if operand.type == "literal_value" and operand.named_children[0].type == "numeric_lit":
        return -number(_text(operand.named_children[0]))
    return None


def _collection(node: Node) -> Value:
    if node.type == "tuple":
        return [_value(c) for c in node.named_children if c.type == "expression"]
    result: dict[str, Value] = {}
    for elem in (c for c in node.named_children if c.type == "object_elem"):
        key_node, value_node = elem.named_children[0], elem.named_children[-1]
        key = _object_key(key_node)
        if key is None:
            return Expression(_text(node).strip(), tuple(sorted(set(_references(node)))))
        result[key] = _value(value_node)
    return result


def _object_key(node: Node) -> str | None:
    """A literal key (bare name or plain string), or None for a computed one."""
    children = node.named_children
    if len(children) == 1 and node.child_count == 1:
        only = children[0]
        if only.type == "variable_expr":
            return _text(only)
        if only.type == "literal_value" and only.named_children[0].type == "string_lit":
            return unescape_quoted(_quoted_body(only.named_children[0]))
        if only.type == "template_expr" and not _is_template(only.named_children[0]):
            return unescape_quoted(_quoted_body(only.named_children[0]))
    return None


def _references(node: Node) -> list[str]:
    """Every traversal (``var.x``, ``aws_s3_bucket.b.arn``) anywhere inside ``node``.

    tree-sitter-hcl writes a traversal as sibling nodes: a ``variable_expr`` followed
    by ``get_attr``/``index``/``splat`` nodes, inside expressions and operations alike.
    """
    found: list[str] = []
    stack = [node]
    while stack:
        parts: list[str] = []
        for child in stack.pop().named_children:
            if child.type == "variable_expr":
                _close(parts, found)
                parts = [_text(child)]
            elif parts and child.type == "get_attr":
                parts.append(_text(child.named_children[0]))
            else:
                _close(parts, found)
                parts = []
                stack.append(child)
        _close(parts, found)
    return found


def _close(parts: list[str], found: list[str]) -> None:
    name = traversal_name(parts)
    if name:
        found.append(name)
