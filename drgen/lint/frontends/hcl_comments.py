"""Where the comments of an HCL file are: a small linear scanner both parsers share.

Text that only looks like a comment - ``#`` inside a quoted string, a template or a
heredoc - is not one, so a ``drgen:ignore`` written there waives nothing. Lines are
counted as Terraform counts them: only ``\\n`` ends a line (U+2028, form feeds and other
characters ``str.splitlines`` breaks on do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEXT_SPECIAL = re.compile(r'[\n#/"<{}]')  # where normal text may change state
_NEXT_IN_STRING = re.compile(r'[\\"\n$%]')
_HEREDOC_MARKER = re.compile(r"<<-?([A-Za-z_][\w-]*)\r?\n")


@dataclass(frozen=True)
class Comment:
    line: int  # 1-based line where the comment starts
    text: str  # after the ``#`` / ``//`` / ``/*`` marker (a block comment without its ``*/``)
    own_line: bool  # nothing but whitespace before it on its line
    end_line: int  # last line it covers (block comments span several)
    block: bool = False  # a ``/* ... */`` comment


def comments(text: str) -> list[Comment]:
    """Every comment in ``text``, in order."""
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1
        self.code_on_line = False  # something other than whitespace and comments seen
        self.found: list[Comment] = []
        # what encloses the position: "{" an expression brace, '"' a quoted template
        self.stack: list[str] = []

    def run(self) -> list[Comment]:
        text, size = self.text, len(self.text)
        while self.position < size:
            if self.stack and self.stack[-1] == '"':
                self._in_string()
                continue
            special = _NEXT_SPECIAL.search(text, self.position)
            stop = special.start() if special else size
            if not self.code_on_line and text[self.position : stop].strip():
                self.code_on_line = True
            self.position = stop
            if special is not None:
                self._special(text[stop])
        return self.found

    def _special(self, char: str) -> None:
        text, position = self.text, self.position
        if char == "\n":
            self._newline()
        elif char == "#" or text.startswith("//", position):
            self._line_comment(1 if char == "#" else 2)
        elif text.startswith("/*", position):
            self._block_comment()
        elif not (char == "<" and text.startswith("<<", position) and self._heredoc()):
            self.code_on_line = True
            if char == '"' or char == "{":
                self.stack.append(char)
            elif char == "}" and self.stack:
                self.stack.pop()
            self.position += 1

    def _newline(self) -> None:
        self.position += 1
        self.line += 1
        self.code_on_line = False

    def _line_comment(self, marker: int) -> None:
        start = self.position
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        body = self.text[start + marker : end]
        self.found.append(Comment(self.line, body, not self.code_on_line, self.line))
        self.position = end

    def _block_comment(self) -> None:
        start, first_line = self.position, self.line
        end = self.text.find("*/", start + 2)
        stop = len(self.text) if end < 0 else end + 2
        body = self.text[start + 2 : end if end >= 0 else len(self.text)]
        own_line = not self.code_on_line
        newlines = self.text.count("\n", start, stop)
        if newlines:
            self.line += newlines
            self.code_on_line = False
        self.found.append(Comment(first_line, body, own_line, self.line, block=True))
        self.position = stop

    def _in_string(self) -> None:
        """One step inside a quoted template: escapes, ``${``/``%{`` openings, the end."""
        text = self.text
        special = _NEXT_IN_STRING.search(text, self.position)
        if special is None:
            self.position = len(text)
            return
        position = self.position = special.start()
        char = text[position]
        if char == "\\":
            self.position += 2
        elif char == '"':
            self.stack.pop()
            self.position += 1
        elif char == "\n":  # not valid HCL; Terraform reports it, lines still count
            self.stack.pop()
            self._newline()
        elif text.startswith(("$${", "%%{"), position):
            self.position += 3
        elif text.startswith(("${", "%{"), position):
            self.stack.append("{")
            self.position += 2
        else:
            self.position += 1

    def _heredoc(self) -> bool:
        """Skip ``<<EOT`` / ``<<-EOT`` through its closing marker; False if not a heredoc."""
        text = self.text
        opening = _HEREDOC_MARKER.match(text, self.position)  # linear: one identifier
        if opening is None:
            return False
        marker = opening.group(1)
        self.code_on_line = True
        self.position = opening.end() - 1
        self._newline()
        while self.position < len(text):
            end = text.find("\n", self.position)
            end = len(text) if end < 0 else end
            closing = text[self.position : end].strip() == marker
            self.position = end
            if closing or end == len(text):
                return True
            self._newline()
        return True
