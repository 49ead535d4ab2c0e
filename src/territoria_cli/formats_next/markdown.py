"""The report as a Markdown document, for pandoc, GitLab, a wiki or a mail.

Unlike the Markdown table (made for pasting into a table), each summary
paragraph here is a real Markdown paragraph, so ``pandoc report.md -o
report.docx`` gives Word paragraphs instead of one run-on cell. Text is
escaped so that it renders as typed: emphasis marks, brackets, HTML and
entities, and what would start a heading, a list or a quote at the
beginning of a line.
"""

from __future__ import annotations

import re

from territoria_cli.export import markdown_table
from territoria_cli.formats_next.report import Report

_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
#: Inline syntax anywhere in a line: escapes, code, emphasis, links, strikethrough, HTML, table bars.
_INLINE = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "~": "\\~",
                         "|": "\\|", "<": "&lt;"})
#: What makes a line a heading, a quote, a list item or a setext underline.
_BLOCK_START = re.compile(r"^(#|>|-|\+|=)|^(\d{1,9})([.)])")


def markdown_text(line: str) -> str:
    """One line of text that renders as itself inside a Markdown paragraph."""
    escaped = _ENTITY_LIKE.sub("&amp;", line.strip()).translate(_INLINE)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


def _heading(text: str) -> str:
    """Heading text on one line; a final "#" is escaped, or it would close the heading and vanish."""
    escaped = markdown_text(" ".join(text.split()))
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


def _paragraph(text: str) -> str:
    # A backslash at the end of a line is CommonMark's hard line break.
    return "\\\n".join(markdown_text(line) for line in text.split("\n"))


def to_markdown_report(report: Report) -> str:
    """The whole report; sections follow their group's table."""
    hashes = "#" * report.section_level
    parts = [f"# {_heading(report.title)}\n"]
    for group in report.groups:
        if group.heading is not None:
            parts.append(f"## {_heading(group.heading)}\n")
        parts.append(markdown_table(group.rows, report.head))
        for section in group.sections:
            parts.append(f"{hashes} {_heading(section.title)}\n")
            parts.append(f"*{markdown_text(section.facts)}*\n")
            parts.extend(_paragraph(text) + "\n" for text in section.paragraphs)
    return "\n".join(parts)
