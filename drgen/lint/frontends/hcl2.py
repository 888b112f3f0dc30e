"""The reference parser: python-hcl2's Lark tree -> the same model Blocks as treesitter.

Slower than tree-sitter and stricter (it rejects some valid HCL), but it is the
parser the design names, so a test keeps the two in agreement on every fixture.
"""

from __future__ import annotations

import re
from typing import Any

from drgen.lint.frontends.hcl_text import heredoc_value, number, traversal_name, unescape_quoted
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.model.roots import Block, Expression, Value

_CHAINS = frozenset(
    {"get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"}
)
_HEREDOCS = frozenset({"heredoc_template", "heredoc_template_trim"})
_TEMPLATE_MARK = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
Tree = Any  # lark.Tree; lark ships no usable type information


def parse_hcl(text: str) -> Block | SyntaxProblem:
    """Parse HCL source (BOM already removed) into the file's body Block."""
    from lark.exceptions import LarkError

    try:
        tree = _lark_tree(text)
        # the converter recurses like the grammar: deep nesting that Lark parsed can still
        # exhaust the stack there
        return _Converter(text + "\n").file_block(tree, text.count("\n") + 1)
    except LarkError as error:
        line = max(int(getattr(error, "line", 1) or 1), 1)
        column = max(int(getattr(error, "column", 1) or 1), 1)
        message = str(error).strip().splitlines()[0] if str(error).strip() else "syntax error"
        return SyntaxProblem(line, column, f"syntax error: {message}")
    except RecursionError:
        return SyntaxProblem(1, 1, "expressions nested too deeply to analyse")


def _lark_tree(text: str) -> Tree:
    from hcl2.api import parses_to_tree

    return parses_to_tree(text)


def _is_tree(node: object) -> bool:
    return hasattr(node, "data")


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text

    def file_block(self, start: Tree, end_line: int) -> Block:
        return self._body_block("", (), start.children[0], 1, end_line)

    def _body_block(
        self, block_type: str, labels: tuple[str, ...], body: Tree, line: int, end_line: int
    ) -> Block:
        block = Block(block_type, labels, {}, [], line, end_line)
        for child in body.children:
            if child.data == "attribute":
                name = _name(child.children[0])
                block.attributes[name] = self.value(child.children[-1])
                block.attribute_lines[name] = child.meta.line
            elif child.data == "block":
                block.blocks.append(self._block(child))
        return block

    def _block(self, node: Tree) -> Block:
        names: list[str] = []
        body: Tree = None
        end_line = node.meta.end_line
        for child in node.children:
            if not _is_tree(child):
                if child.type == "RBRACE":
                    end_line = child.line
                continue
            if child.data == "body":
                body = child
            elif child.data == "string":
                names.append(unescape_quoted(self._quoted_body(child)))
            elif child.data != "new_line_or_comment":
                names.append(_name(child))
        return self._body_block(names[0], tuple(names[1:]), body, node.meta.line, end_line)

    def _quoted_body(self, string: Tree) -> str:
        return self.text[string.meta.start_pos + 1 : string.meta.end_pos - 1]

    def value(self, node: Tree) -> Value:
        node = _unwrap(node)
        kind = node.data
        if kind in ("int_lit", "float_lit"):
            return number(str(node.children[0]))
        if kind == "literal_value":
            word = str(node.children[0])
            return None if word == "null" else word == "true"
        if kind == "string" and not _has_template_parts(node):
            return unescape_quoted(self._quoted_body(node))
        if kind in _HEREDOCS:
            raw = str(node.children[0])
            if not _TEMPLATE_MARK.search(raw):
                return heredoc_value(raw.rstrip("\r\n"))
        if kind == "tuple":
            return [self.value(c) for c in node.children if _is_expression(c)]
        if kind == "object":
            return self._object(node)
        if kind == "unary_op" and str(node.children[0]) == "-":
            operand = _unwrap(node.children[1])
            if operand.data in ("int_lit", "float_lit"):
                return -number(str(operand.children[0]))
        return self._expression(node)

    def _expression(self, node: Tree) -> Expression:
        tokens = [t for t in node.scan_values(lambda v: hasattr(v, "type"))]
        meaningful = [t for t in tokens if t.type != "NL_OR_COMMENT"]
        start = meaningful[0].start_pos if meaningful else node.meta.start_pos
        end = meaningful[-1].end_pos if meaningful else node.meta.end_pos
        return Expression(self.text[start:end].strip(), tuple(sorted(set(_references(node)))))

    def _object(self, node: Tree) -> Value:
        result: dict[str, Value] = {}
        for elem in (c for c in node.children if _is_tree(c) and c.data == "object_elem"):
            key = self._object_key(elem.children[0])
            if key is None:
                return self._expression(node)
            result[key] = self.value(elem.children[-1])
        return result

    def _object_key(self, key: Tree) -> str | None:
        inner = key.children[0]
        if inner.data == "keyword":
            return str(inner.children[0])
        if inner.data == "expr_term" and len(inner.children) == 1:
            only = inner.children[0]
            if only.data == "identifier":
                return str(only.children[0])
            if only.data == "string" and not _has_template_parts(only):
                return unescape_quoted(self._quoted_body(only))
        return None


def _name(node: Tree) -> str:
    """An identifier, keyword or literal used as a name (``for_each``, ``in``)."""
    return str(node.children[0]) if _is_tree(node) else str(node)


def _unwrap(node: Tree) -> Tree:
    while node.data == "expr_term" and len(node.children) == 1 and _is_tree(node.children[0]):
        node = node.children[0]
    return node


def _is_expression(node: object) -> bool:
    return _is_tree(node) and node.data != "new_line_or_comment"  # type: ignore[attr-defined]


def _has_template_parts(string: Tree) -> bool:
    return any(
        _is_tree(part) and any(_is_tree(c) for c in part.children)
        for part in string.children
        if _is_tree(part)
    )


def _references(node: Tree) -> list[str]:
    """Every traversal anywhere inside ``node``, heredoc interpolations included."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if not _is_tree(current):
            if getattr(current, "type", "") in ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"):
                found.extend(_heredoc_references(str(current)))
            continue
        if current.data in _CHAINS:
            base, links = _chain(current)
            parts = [str(base.children[0].children[0])] if _is_bare_identifier(base) else []
            if not parts:
                stack.append(base)
            for link in links:
                if parts and link.data == "get_attr":  # .name, or .null/.true as a name
                    parts.append(str(link.children[1].children[0]))
                    continue
                if parts:
                    name = traversal_name(parts)
                    if name:
                        found.append(name)
                    parts = []
                stack.append(link)
            name = traversal_name(parts)
            if name:
                found.append(name)
            continue
        stack.extend(current.children)
    return found


def _chain(node: Tree) -> tuple[Tree, list[Tree]]:
    """Split ``a.b[0].c`` into its innermost ``expr_term`` and its links, in source order."""
    links: list[Tree] = []
    while node.data in _CHAINS:
        links.append(node.children[1])
        term = node.children[0]
        inner = term.children[0] if len(term.children) == 1 else None
        if inner is None or not _is_tree(inner) or inner.data not in _CHAINS:
            node = term
            break
        node = inner
    links.reverse()
    return node, links


def _is_bare_identifier(node: Tree) -> bool:
    return (
        node.data == "expr_term"
        and len(node.children) == 1
        and (_is_tree(node.children[0]) and node.children[0].data == "identifier")
    )


def _heredoc_references(raw: str) -> list[str]:
    from lark.exceptions import LarkError

    found: list[str] = []
    for inner in _interpolations(raw):
        try:
            tree = _lark_tree(f"x = {inner}\n")
        except (LarkError, RecursionError):  # an unparsable interpolation adds no references
            continue
        found.extend(_references(tree))
    return found


def _interpolations(raw: str) -> list[str]:
    """Bodies of ``${...}`` / ``%{...}`` in heredoc text, braces balanced."""
    bodies: list[str] = []
    for match in _TEMPLATE_MARK.finditer(raw):
        depth, index = 1, match.end()
        while index < len(raw) and depth:
            depth += {"{": 1, "}": -1}.get(raw[index], 0)
            index += 1
        body = raw[match.end() : index - 1].strip(" ~\t\r\n")
        if match.group(0) == "%{":
            body = _directive_operand(body)
        if body:
            bodies.append(body)
    return bodies


def _directive_operand(body: str) -> str:
    """The expression in ``if cond`` / ``for x in list``; "" for else/endif/endfor."""
    if body.startswith("if "):
        return body[3:]
    if body.startswith("for ") and " in " in body:
        return body.split(" in ", 1)[1]
    return ""
