"""Evaluate the statically knowable subset of HCL expressions.

Supported: literals, ``var.*``/``local.*`` traversals (through the caller's lookup),
string templates, lists and objects, ``! - && || == != < > <= >= + - * / %``,
conditionals, ``for`` expressions over known collections and a few pure functions
(length, keys, values, toset, tolist, tomap, concat, merge, coalesce, contains, lower,
upper, try). Anything else - resource attributes, data sources, splats, unknown
functions - is UNKNOWN, and UNKNOWN spreads except where Terraform itself would
short-circuit.
"""

from __future__ import annotations

import operator as ops
import re
from collections.abc import Callable

from drgen.lint.evaluation.budget import BudgetExceeded, EvaluationBudget
from drgen.lint.evaluation.functions import ERROR_AWARE, FUNCTIONS
from drgen.lint.frontends.hcl_text import number, unescape_quoted
from drgen.lint.model.roots import Value
from drgen.lint.model.values import ERROR, NOT_NULL, UNKNOWN, NotNull, Resolved, Unknown

Lookup = Callable[[str, str], Resolved]  # ("var" | "local", name) -> value
Bindings = dict[str, Resolved]  # the symbols a ``for`` expression declares -> their values

_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|//[^\n]*|/\*.*?\*/
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<string>"(?:[^"\\]|\\.)*")
    |(?P<name>[A-Za-z_][\w-]*)
    |(?P<op>&&|\|\||==|!=|<=|>=|=>|\.\.\.|\[\*\]|\.\*|<<|[!<>?:()\[\]{},.+\-*/%=])""",
    re.VERBOSE | re.DOTALL,
)


class _Bail(Exception):
    """The expression leaves the supported subset: its value is UNKNOWN."""


def evaluate(
    source: str,
    lookup: Lookup,
    bindings: Bindings | None = None,
    budget: EvaluationBudget | None = None,
) -> Resolved:
    """The value of ``source``, or UNKNOWN. ``budget`` is the root's shared one (see
    budget.py); without it the expression gets a budget of its own."""
    if source.startswith("<<"):
        return UNKNOWN  # a heredoc with interpolations: never a value drgen needs
    budget = budget if budget is not None else EvaluationBudget()
    try:
        budget.spend(1 + len(source) // 16)
        tokens = _tokens(source)
        parser = _Parser(tokens, lookup, bindings or {}, budget)
        value = parser.expression()
        if parser.position != len(tokens) or value is ERROR:
            return UNKNOWN  # an expression Terraform would reject has no value to report
        return value
    except RecursionError:
        budget.too_deep = True
        return UNKNOWN
    except (_Bail, BudgetExceeded, ValueError, TypeError, ArithmeticError):
        return UNKNOWN  # ArithmeticError: also a float overflow such as 1e308 * 10 / 3


def _tokens(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match:
            raise _Bail
        position = match.end()
        if match.lastgroup:
            tokens.append((match.lastgroup, match.group(match.lastgroup)))
    return tokens


_ARITHMETIC: dict[str, Callable[[float, float], float | bool]] = {
    "<": ops.lt, ">": ops.gt, "<=": ops.le, ">=": ops.ge,
    "+": ops.add, "-": ops.sub, "*": ops.mul,
    "/": ops.truediv, "%": ops.mod,
}  # fmt: skip
_BINARY = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]
_PRECEDENCE = {operator: level for level, operators in enumerate(_BINARY) for operator in operators}


class _Parser:
    def __init__(
        self,
        tokens: list[tuple[str, str]],
        lookup: Lookup,
        bindings: Bindings,
        budget: EvaluationBudget,
    ) -> None:
        self.tokens = tokens
        self.position = 0
        self.lookup = lookup
        self.bindings = bindings
        self.budget = budget

    def _peek(self) -> str:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else ""

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise _Bail
        self.budget.spend()
        token = self.tokens[self.position]
        if expected is not None and token[1] != expected:
            raise _Bail
        self.position += 1
        return token

    def expression(self) -> Resolved:
        condition = self._binary(0)
        if self._peek() != "?":
            return condition
        self._take("?")
        when_true = self.expression()
        self._take(":")
        when_false = self.expression()
        if isinstance(condition, bool):
            return when_true if condition else when_false
        return when_true if when_true == when_false and _known(when_true) else UNKNOWN

    def _binary(self, lowest: int) -> Resolved:
        """Operators of precedence ``lowest`` and up, left to right (precedence climbing:
        one stack frame per operand, not one per precedence level, so deep chains fit)."""
        left = self._unary()
        while (level := _PRECEDENCE.get(self._peek(), -1)) >= lowest:
            operator = self._take()[1]
            right = self._binary(level + 1)
            if operator in ("==", "!="):  # comparing collections walks them
                self.budget.spend_on(left)
                self.budget.spend_on(right)
            left = _apply(operator, left, right)
        return left

    def _unary(self) -> Resolved:
        if self._peek() in ("!", "-"):
            operator = self._take()[1]
            value = self._unary()
            if isinstance(value, Unknown):
                return UNKNOWN
            if operator == "!":
                return (not value) if isinstance(value, bool) else UNKNOWN
            return -value if _is_number(value) else UNKNOWN  # type: ignore[operator]
        return self._postfix(self._primary())

    def _postfix(self, value: Resolved) -> Resolved:
        while self._peek() in (".", "[", "[*]", ".*"):
            operator = self._take()[1]
            if operator in ("[*]", ".*"):
                raise _Bail
            if operator == ".":
                kind, key = self._take()
                value = _index(value, number(key) if kind == "number" else key)
            else:
                key_value = self.expression()
                self._take("]")
                value = _index(value, key_value)
        return value

    def _primary(self) -> Resolved:
        kind, text = self._take()
        if kind == "number":
            return number(text)
        if kind == "string":
            return self._template(text[1:-1])
        if text == "(":
            value = self.expression()
            self._take(")")
            return value
        if text == "[":
            return self._sequence("]", self.expression)
        if text == "{":
            return self._object()
        if kind != "name":
            raise _Bail
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self._peek() == "(":
            return self._call(text)
        if text in self.bindings:
            return self.bindings[text]
        if text in ("var", "local") and self._peek() == ".":
            self._take(".")
            return self.lookup(text, self._take()[1])
        if ("_" in text or text == "data") and self._peek() == ".":
            return self._resource_attribute(text)
        return UNKNOWN  # resource, data, module, each, count, path ... known only at apply

    def _resource_attribute(self, head: str) -> Resolved:
        """``aws_kms_key.k.arn`` / ``data.aws_x.y[0].id``: unknown, but never null (the
        provider always sets ``arn`` and ``id``); any other attribute is UNKNOWN."""
        self._take(".")
        self._take()  # the resource name (or, after ``data``, the data source type)
        if head == "data" and self._peek() == ".":
            self._take(".")
            self._take()
        if self._peek() == "[":
            self._take("[")
            self.expression()
            self._take("]")
        if self._peek() != ".":
            return UNKNOWN
        self._take(".")
        attribute = self._take()[1]
        return (
            NOT_NULL if attribute in ("arn", "id") and self._peek() not in (".", "[") else UNKNOWN
        )

    def _sequence(self, closer: str, item: Callable[[], Resolved]) -> Resolved:
        if self._peek() == "for":
            return self._for_list()
        items: list[Resolved] = []
        while self._peek() != closer:
            items.append(item())
            if self._peek() == ",":
                self._take(",")
        self._take(closer)
        return UNKNOWN if any(isinstance(i, Unknown) for i in items) else list(items)  # type: ignore[arg-type]

    def _object(self) -> Resolved:
        if self._peek() == "for":
            return self._for_object()
        result: dict[str, Resolved] = {}
        keys_known = True
        while self._peek() != "}":
            name = self._key()
            if self._peek() not in ("=", ":"):
                raise _Bail
            self._take()
            value = self.expression()
            if name is None:
                keys_known = False
            else:
                result[name] = value
            if self._peek() == ",":
                self._take(",")
        self._take("}")
        if not keys_known or any(isinstance(v, Unknown) for v in result.values()):
            return UNKNOWN
        return result  # type: ignore[return-value]

    def _key(self) -> str | None:
        """An object key: a bare name is itself; a string, number or ``(expr)`` its value."""
        kind, key = self._take()
        if kind == "name":
            return key
        if kind == "string":
            return _object_key(self._template(key[1:-1]))
        if kind == "number":
            return _object_key(number(key))
        if key == "(":
            value = self.expression()
            self._take(")")
            return _object_key(value)
        raise _Bail

    def _for_list(self) -> Resolved:
        """``[for i, x in coll : value if cond]`` after its ``[``."""
        results = self._for_each(self._for_list_item)
        self._take("]")
        kept = _kept(results, value_at=0)
        if kept is None:
            return UNKNOWN
        return [value for (value,) in kept]  # type: ignore[misc]  # _kept ruled out Unknown

    def _for_list_item(self) -> tuple[tuple[Resolved, ...], Resolved]:
        value = self.expression()
        return (value,), self._for_condition()

    def _for_object(self) -> Resolved:
        """``{for k, v in coll : key => value... if cond}`` after its ``{``."""
        results = self._for_each(self._for_object_item)
        self._take("}")
        kept = _kept(results, value_at=1)
        if kept is None:
            return UNKNOWN
        result: dict[str, Value] = {}
        groups: dict[str, list[Value]] = {}
        for key, value, grouping in kept:
            assert not isinstance(value, Unknown)  # _kept ruled it out
            name = _object_key(key)
            if name is None or (name in result and not grouping):
                return UNKNOWN  # an unknown key, or a duplicate Terraform rejects
            if grouping:
                groups.setdefault(name, []).append(value)
            else:
                result[name] = value
        return {**result, **groups}

    def _for_object_item(self) -> tuple[tuple[Resolved, ...], Resolved]:
        key = self.expression()
        self._take("=>")
        value = self.expression()
        grouping = self._peek() == "..."
        if grouping:
            self._take("...")
        return (key, value, grouping), self._for_condition()

    def _for_condition(self) -> Resolved:
        if self._peek() != "if":
            return True
        self._take("if")
        return self.expression()

    def _for_each(
        self, item: Callable[[], tuple[tuple[Resolved, ...], Resolved]]
    ) -> list[tuple[tuple[Resolved, ...], Resolved]] | None:
        """Evaluate ``item`` once per element with the ``for`` symbols bound.

        The body is first read with every symbol UNKNOWN, which moves past it even when
        the collection is empty or unknown; None when the collection is not known.
        """
        self._take("for")
        names = [self._symbol()]
        if self._peek() == ",":
            self._take(",")
            names.append(self._symbol())
        self._take("in")
        collection = self.expression()
        self._take(":")
        start, outer = self.position, self.bindings
        self.bindings = {**outer, **dict.fromkeys(names, UNKNOWN)}
        item()
        end = self.position
        elements = _elements(collection)
        results = []
        for key, value in elements or ():
            self.budget.spend()
            self.position = start
            bound = [key, value] if len(names) == 2 else [value]
            self.bindings = {**outer, **dict(zip(names, bound, strict=True))}
            results.append(item())
        self.position, self.bindings = end, outer
        return results if elements is not None else None

    def _symbol(self) -> str:
        kind, text = self._take()
        if kind != "name":
            raise _Bail
        return text

    def _call(self, name: str) -> Resolved:
        self._take("(")
        arguments: list[Resolved] = []
        while self._peek() != ")":
            arguments.append(self.expression())
            if self._peek() == "...":
                raise _Bail  # argument expansion: the list is rarely known
            if self._peek() == ",":
                self._take(",")
        self._take(")")
        function = FUNCTIONS.get(name)
        if function is None:
            return UNKNOWN
        if name not in ERROR_AWARE:
            if any(a is ERROR for a in arguments):
                return ERROR
            if any(isinstance(a, Unknown) for a in arguments):
                return UNKNOWN
        for argument in arguments:  # a function's work grows with its arguments...
            self.budget.spend_on(argument)
        result = function(arguments)
        self.budget.spend_on(result)  # ...and with what it builds (concat, range, merge)
        return result

    def _template(self, raw: str) -> Resolved:
        """A quoted string: its literal parts and ``${...}`` parts joined, if all known."""
        if "%{" in raw.replace("%%{", ""):
            raise _Bail
        pieces: list[str] = []
        index = 0
        for start, end in _interpolations(raw):
            pieces.append(unescape_quoted(raw[index:start]))
            inner = evaluate(
                raw[start + 2 : end - 1].strip(" ~"), self.lookup, self.bindings, self.budget
            )
            if isinstance(inner, bool):
                inner = "true" if inner else "false"
            if not isinstance(inner, (str, int, float)):
                return UNKNOWN
            pieces.append(str(inner))
            index = end
        pieces.append(unescape_quoted(raw[index:]))
        joined = "".join(pieces)
        self.budget.spend_on(joined)
        return joined


def _elements(collection: Resolved) -> list[tuple[Resolved, Resolved]] | None:
    """(key or index, value) pairs in Terraform's order: maps by key, lists by position."""
    if isinstance(collection, dict):
        return sorted(collection.items())
    if isinstance(collection, list):
        return list(enumerate(collection))
    return None


def _object_key(key: Resolved) -> str | None:
    """An object key as Terraform converts it to a string; None when it cannot."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    if isinstance(key, str | int | float):
        return str(key)
    return None


def _interpolations(raw: str) -> list[tuple[int, int]]:
    """(start, end) spans of ``${...}`` in a quoted body, ``$${`` skipped, braces balanced."""
    spans: list[tuple[int, int]] = []
    index = 0
    while True:
        start = raw.find("${", index)
        if start < 0:
            return spans
        if start > 0 and raw[start - 1] == "$":
            index = start + 2
            continue
        depth, end = 1, start + 2
        while end < len(raw) and depth:
            depth += {"{": 1, "}": -1}.get(raw[end], 0)
            end += 1
        if depth:
            raise _Bail
        spans.append((start, end))
        index = end


def _known(value: Resolved) -> bool:
    return not isinstance(value, Unknown)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _index(value: Resolved, key: Resolved) -> Resolved:
    """``value[key]`` / ``value.key``: ERROR where Terraform would fail on known values."""
    if value is ERROR or key is ERROR:
        return ERROR
    if isinstance(value, Unknown) or isinstance(key, Unknown):
        return UNKNOWN
    if isinstance(value, dict) and isinstance(key, str):
        return value.get(key, ERROR)
    if isinstance(value, list) and _is_number(key) and 0 <= int(key) < len(value):  # type: ignore[arg-type]
        return value[int(key)]  # type: ignore[arg-type]
    return ERROR


def _equal(left: Resolved, right: Resolved) -> bool:
    """HCL equality: numbers by value, everything else by type and value (1 != true)."""
    if _is_number(left) and _is_number(right):
        return left == right
    return type(left) is type(right) and left == right


def _apply(operator: str, left: Resolved, right: Resolved) -> Resolved:
    if operator == "&&":
        if left is False or right is False:
            return False
        return True if left is True and right is True else UNKNOWN
    if operator == "||":
        if left is True or right is True:
            return True
        return False if left is False and right is False else UNKNOWN
    if left is ERROR or right is ERROR:
        return ERROR
    if operator in ("==", "!=") and {type(left), type(right)} == {NotNull, type(None)}:
        return operator == "!="  # set by the provider: never null
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return UNKNOWN
    if operator in ("==", "!="):
        return _equal(left, right) == (operator == "==")
    if isinstance(left, bool) or isinstance(right, bool):
        return UNKNOWN
    if not (isinstance(left, (int, float)) and isinstance(right, (int, float))):
        return UNKNOWN
    return _ARITHMETIC[operator](left, right)


def _kept(
    results: list[tuple[tuple[Resolved, ...], Resolved]] | None, *, value_at: int
) -> list[tuple[Resolved, ...]] | None:
    """The items of a ``for`` whose ``if`` held; None when the collection, a condition or a
    kept item's value (at index ``value_at``) is unknown."""
    if results is None:
        return None
    kept = []
    for item, keep in results:
        if not isinstance(keep, bool):
            return None
        if keep:
            if isinstance(item[value_at], Unknown):
                return None
            kept.append(item)
    return kept


def template_spans(raw: str) -> list[tuple[int, int]] | None:
    """(start, end) of each ``${...}`` in a quoted string's body; None when unbalanced."""
    try:
        return _interpolations(raw)
    except _Bail:
        return None
