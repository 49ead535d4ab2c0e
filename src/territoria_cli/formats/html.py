"""The report as one HTML page: self-contained, printable, escaped.

Everything is in the one file (the style sheet is inline, there are no
images, fonts or scripts), so the page can be mailed, archived or printed
as it is. Every piece of data goes through :func:`html.escape`: a title
``<script>`` is shown, never run. Print rules keep an award's heading with
its text and repeat table headers on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from territoria_cli.formats.report import Report, build_report, report_columns
from territoria_cli.model import Award, Lang

STYLE = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #1a1a1a; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.2; }
h1 { font-size: 1.8em; border-bottom: 2px solid #1a1a1a; padding-bottom: .2em; }
h2 { font-size: 1.4em; margin-top: 2em; border-bottom: 1px solid #999; }
h3, section h2 { font-size: 1.1em; border: 0; margin: 1.6em 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: .8em 0 1.2em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
p.facts { font-style: italic; color: #444; margin: 0 0 .6em; }
@page { margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, p.facts { break-inside: avoid; page-break-inside: avoid; }
}
"""


def to_html(report: Report) -> str:
    """The whole page as text (UTF-8 when written: the page says so)."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{report.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(report.title)}</h1>",
    ]
    for group in report.groups:
        if group.heading is not None:
            parts.append(f"<h2>{escape(group.heading)}</h2>")
        parts.append("<table>")
        parts.append("<thead><tr>" + "".join(f"<th>{escape(label)}</th>" for label in report.head) + "</tr></thead>")
        parts.append("<tbody>")
        parts.extend("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in group.rows)
        parts.append("</tbody></table>")
        for section in group.sections:
            parts.append(f'<section id="{escape(section.id)}">')
            parts.append(f"<h{report.section_level}>{escape(section.title)}</h{report.section_level}>")
            parts.append(f'<p class="facts">{escape(section.facts)}</p>')
            parts.extend(f"<p>{_lines(paragraph)}</p>" for paragraph in section.paragraphs)
            parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _lines(paragraph: str) -> str:
    return "<br>".join(escape(line) for line in paragraph.split("\n"))


def write(
    awards: Sequence[Award],
    columns: Sequence[str] | None,
    lang: Lang = "fr",
    *,
    group_by: str | None = None,
    title: str | None = None,
) -> str:
    """The registry's entry point: ``columns`` are those of each group's short table."""
    return to_html(build_report(awards, lang, columns=report_columns(columns), group_by=group_by, title=title))
