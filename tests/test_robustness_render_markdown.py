"""Strings from a spec reach the rendered README only through Markdown escaping: the
dual-master acknowledgement and the spec's file name cannot inject HTML, comments,
headings or links (issue 10)."""

from __future__ import annotations

from pathlib import Path

from drgen.render import render_spec
from drgen.render.environment import markdown_code, markdown_text, shell_word
from drgen.spec import load_spec_with_warnings
from tests.fixtures.specs.support import sample_text

HOSTILE = (
    "We accept that concurrent cart edits lose the older write <script>alert(1)</script> "
    "--> <!-- [click](https://evil.example) @everyone\n# Injected heading"
)


def test_acknowledgement_and_spec_name_are_escaped_in_the_readme(tmp_path: Path) -> None:
    text = sample_text("active-active-write-local")
    start = text.index("dual_master_acknowledgement:")
    end = text.index("\n", text.index("\n  ", start) + 1)
    while text.startswith("  ", end + 1):
        end = text.index("\n", end + 1)
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    spec_path = tmp_path / "x`y <script>.yaml"
    spec_path.write_text(text[:start] + f'dual_master_acknowledgement: "{quoted}"' + text[end:])
    spec, _ = load_spec_with_warnings(spec_path)
    rendered = render_spec(spec).files["README.md"]
    code_span = "``x`y <script>.yaml``"  # CommonMark shows a code span's content literally
    migrate = "``drgen render 'x`y <script>.yaml' -o <folder> --migrate-layout``"
    assert code_span in rendered and migrate in rendered  # the command quotes one shell word
    readme = rendered.replace(code_span, "").replace(migrate, "")
    assert "<script>" not in readme
    assert readme.count("<!--") == 1  # only drgen's own header
    assert "</script> -->" not in readme and "--> <!--" not in readme
    assert "\n# Injected" not in readme and "[click](" not in readme
    assert "@everyone" not in readme.replace("\\@everyone", "")


def test_markdown_filters() -> None:
    assert markdown_text("a <b> [c](d)\n# e") == "a \\<b\\> \\[c\\](d) \\# e"
    assert markdown_code("spec.yaml") == "`spec.yaml`"
    assert markdown_code("a``b") == "```a``b```"
    assert markdown_code("`edge`") == "`` `edge` ``"
    assert markdown_code("two\nlines") == "`two lines`"


def test_shell_word_keeps_a_file_name_one_literal_word() -> None:
    assert shell_word("spec.yaml") == "spec.yaml"
    assert shell_word("my spec $(rm -rf ~).yaml") == "'my spec $(rm -rf ~).yaml'"
    assert shell_word("it's.yaml") == "'it'\"'\"'s.yaml'"
