"""Read YAML into plain values while remembering where every key and value was written.

PyYAML's composer gives nodes with marks; values are built from those nodes here (not by
PyYAML's constructor) so that duplicate keys, non-string keys and alias bombs are refused
with a position before any large value exists. Every user-facing YAML file drgen reads
(specs, configs, policy files, the RPO/RTO figures) goes through ``load_located_yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drgen.errors import DrgenError, Problem
from drgen.yamldoc.source_map import JsonPath, Position, SourceMap

MAX_NODES = 10_000  # a real document has a few hundred values; aliases may not expand past this
MAX_DEPTH = 64
MAX_BYTES = 1_000_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
}


@dataclass(frozen=True)
class DocumentKind:
    """What a file holds, for messages: ``noun`` "spec", ``described`` "a DR spec"."""

    noun: str
    described: str


def load_located_yaml(file: str, text: str, kind: DocumentKind) -> tuple[Any, SourceMap]:
    """Parse one YAML document into (value, source map); raise DrgenError with positions.

    An empty document (only comments or nothing) is ``None`` with an empty source map.
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DrgenError(
            Problem(
                f"the file is larger than {MAX_BYTES} bytes",
                file=file,
                hint=f"{kind.described} is a few kilobytes; check that this is the right file",
            )
        )
    try:
        loader = yaml.SafeLoader(text)  # its Reader refuses NUL, DEL and C1 characters here
    except yaml.reader.ReaderError as error:
        raise DrgenError(_reader_problem(error, file, text)) from None
    try:
        node = loader.get_single_node()
        builder = _Builder(loader, SourceMap(file), kind)
        value = None if node is None else builder.build(node, ())
        return value, builder.source_map
    except yaml.MarkedYAMLError as error:
        raise DrgenError(_syntax_problem(error, file, kind)) from None
    except yaml.reader.ReaderError as error:  # PyYAML reads long documents in chunks
        raise DrgenError(_reader_problem(error, file, text)) from None
    except RecursionError:
        raise DrgenError(
            Problem(
                f"the YAML is nested too deeply to be {kind.described}",
                file=file,
                hint="flatten the structure",
            )
        ) from None
    finally:
        loader.dispose()


@dataclass
class _Builder:
    loader: yaml.SafeLoader
    source_map: SourceMap
    kind: DocumentKind
    visited: int = 0
    built: set[int] = field(default_factory=set)  # ids of nodes built at least once
    open_nodes: set[int] = field(default_factory=set)  # ids of nodes being built
    alias_entry: JsonPath | None = None  # where the outermost alias being expanded is used

    def build(self, node: Node, path: JsonPath) -> Any:
        entering_alias = self.alias_entry is None and id(node) in self.built
        if entering_alias:
            self.alias_entry = path
        try:
            return self._build(node, path)
        finally:
            if entering_alias:
                self.alias_entry = None

    def _build(self, node: Node, path: JsonPath) -> Any:
        self._count(node, path)
        if id(node) in self.open_nodes:
            self._fail(node, path, "an alias refers to a node that contains it", "remove the cycle")
        if len(path) > MAX_DEPTH:
            self._fail(node, path, "the YAML is nested too deeply", "flatten the structure")
        self.built.add(id(node))
        self.source_map.values.setdefault(path, _position(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, path)
        finally:
            self.open_nodes.discard(id(node))

    def _count(self, node: Node, path: JsonPath) -> None:
        """One more value built (a node, or a mapping merged in by ``<<``) toward MAX_NODES."""
        self.visited += 1
        if self.visited > MAX_NODES:
            self._alias_bomb(node, path)

    def _alias_bomb(self, node: Node, path: JsonPath) -> NoReturn:
        """Refuse at the alias that started the runaway expansion, located at its container
        (PyYAML keeps no position for an alias itself, only for the anchored node)."""
        entry = self.alias_entry or path
        message = f"aliases expand this document past {MAX_NODES} values (a YAML alias bomb?)"
        problem = self.source_map.problem(
            message, entry, "write the values out, or use far fewer nested aliases"
        )
        position = self.source_map.locate(entry[:-1]) or _position(node)
        raise DrgenError(replace(problem, line=position.line, column=position.column))

    def _scalar(self, node: ScalarNode, path: JsonPath) -> Any:
        self._refuse_surrogates(node, path)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self._fail(
                node,
                path,
                f"unsupported YAML tag {node.tag}",
                f"remove the tag; {self.kind.described} holds plain strings, numbers, lists "
                "and mappings",
            )
        except (ValueError, OverflowError):  # 2020-02-30, !!int abc, a 5,000-digit integer
            kind = _TAG_NAMES.get(node.tag, f"a {node.tag} value")
            shown = node.value if len(node.value) <= 40 else node.value[:39] + "…"
            self._fail(
                node,
                path,
                f"{shown!r} cannot be read as {kind}",
                f'quote it to keep it as text ("{shown}"), or write a valid value',
            )
        if node.style is None and _surprising_number(node):
            self._fail(
                node,
                path,
                f"YAML 1.1 reads {node.value!r} as the number {value!r} (base 60, octal, hex,"
                " binary or with '_' separators), which is rarely what was meant",
                f'write {value!r} if you mean that number, or quote the text ("{node.value}")',
            )
        return value

    def _refuse_surrogates(self, node: ScalarNode, path: JsonPath) -> None:
        """``"\\ud83d\\ude00"`` is JSON's way to write one emoji; YAML reads two lone surrogates,
        which no file can hold (rendering would fail). Refused here, with the YAML spelling."""
        found = _SURROGATE.search(node.value)
        if found:
            self._fail(
                node,
                path,
                f"contains the UTF-16 surrogate U+{ord(found.group()):04X}, which is not a"
                " character (YAML escapes are code points, unlike JSON's surrogate pairs)",
                "write the character itself, or its code point as \\UXXXXXXXX"
                " (for example \\U0001F600)",
            )

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, Any]:
        explicit: dict[str, Any] = {}
        merges = [value for key, value in node.value if key.tag == _MERGE_TAG]
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key(key_node, path)
            if key in explicit:
                first = self.source_map.keys[(*path, key)]
                self._fail(
                    key_node,
                    (*path, key),
                    f"duplicate key {key!r} (first written at line {first.line})",
                    "keep one of them; YAML would silently use the last",
                )
            self.source_map.keys.setdefault((*path, key), _position(key_node))
            explicit[key] = self.build(value_node, (*path, key))
        merged: dict[str, Any] = {}
        for source in (source for value in merges for source in self._merge_sources(value, path)):
            self._count(source, path)  # merged mappings, even empty ones, are values built
            for key, value in self._mapping(source, path).items():
                merged.setdefault(key, value)
        return {**merged, **explicit}

    def _merge_sources(self, node: Node, path: JsonPath) -> list[MappingNode]:
        """The mappings a ``<<:`` merge key pulls in: one mapping or a list of them."""
        nodes = node.value if isinstance(node, SequenceNode) else [node]
        if not all(isinstance(item, MappingNode) for item in nodes):
            self._fail(
                node,
                path,
                "a merge key (<<) needs a mapping or a list of mappings",
                "merge an anchored mapping, e.g. <<: *defaults",
            )
        return list(nodes)

    def _key(self, key_node: Node, path: JsonPath) -> str:
        if isinstance(key_node, ScalarNode):
            self._refuse_surrogates(key_node, path)
        if isinstance(key_node, ScalarNode) and key_node.tag == _STR_TAG:
            return str(key_node.value)
        if isinstance(key_node, ScalarNode):
            kind = _TAG_NAMES.get(key_node.tag, "not a string")
            self._fail(
                key_node,
                path,
                f"key {key_node.value!r} is read as {kind}; keys must be strings",
                f'quote the key: "{key_node.value}"',
            )
        self._fail(key_node, path, "a key must be a plain string", "use a plain name as the key")

    def _fail(self, node: Node, path: JsonPath, message: str, hint: str) -> NoReturn:
        position = _position(node)
        problem = self.source_map.problem(message, path, hint)
        raise DrgenError(replace(problem, line=position.line, column=position.column))


def _surprising_number(node: ScalarNode) -> bool:
    """A plain integer or float YAML 1.1 reads in another base or with separators:
    ``port: 1:20`` is 80, ``017`` is 15, ``0x1F`` is 31, ``1_000`` is 1000."""
    if node.tag == _INT_TAG:
        return not _DECIMAL.fullmatch(node.value)
    return node.tag == _FLOAT_TAG and (":" in node.value or "_" in node.value)


def _reader_problem(error: yaml.reader.ReaderError, file: str, text: str) -> Problem:
    """A character YAML does not allow (NUL, DEL, C1 controls, a lone surrogate)."""
    offset = min(error.position, len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return Problem(
        f"character U+{code:04X} is not allowed in YAML",
        file=file,
        line=line,
        column=column,
        hint=f'remove it, or write it as an escape inside double quotes ("\\x{code:02X}")'
        if code <= 0xFF
        else "remove it",
    )


def _position(node: Node) -> Position:
    return Position(line=node.start_mark.line + 1, column=node.start_mark.column + 1)


_SYNTAX_HINTS = {
    "mapping values are not allowed here": (
        "check the indentation, and quote values that contain ': '"
    ),
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "but found another document": "keep one {noun} per file (remove the second '---')",
    "found undefined alias": "define the anchor (&name) before using the alias (*name)",
    "found duplicate anchor": "give each anchor a different name",
    "while scanning a quoted scalar": "close the quote",
    "while parsing a flow sequence": "close the [ ... ] list, separating items with commas",
    "while parsing a flow mapping": "close the { ... } mapping, separating entries with commas",
}


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, kind: DocumentKind) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = (error.problem or "invalid YAML").strip()
    message = f"malformed YAML: {problem}"
    if error.context:
        message += f" ({error.context.strip()}"
        if error.context_mark and error.problem_mark:
            where = error.context_mark
            message += f" that starts at line {where.line + 1}, column {where.column + 1}"
        message += ")"
    both = f"{error.context or ''} {problem}"
    hint = next(
        (hint.replace("{noun}", kind.noun) for text, hint in _SYNTAX_HINTS.items() if text in both),
        "fix the YAML syntax at this position (a YAML linter shows the exact rule)",
    )
    return Problem(
        message,
        file=file,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint=hint,
    )
