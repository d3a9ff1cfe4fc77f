"""The rows of the import's preview, written in Python: a 5 000-row file is some 50 000 values, which the template
language (and even ``format_html`` for each) would take seconds to render (``channels/import_preview.html``).
Every value is escaped here (``_text``); the result is marked safe once."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value):
    return escape(str(value), quote=True)


def _details(row):
    if row.errors:
        items = "".join(
            f"<li><strong>{_text(column)}</strong>: {_text(message)}</li>" if column else f"<li>{_text(message)}</li>"
            for column, message in row.errors
        )
        return f'<ul class="mb-0 import-errors">{items}</ul>'
    if row.changes:
        if row.action == "create":
            items = "".join(f"<li>{_text(change.label)}: {_text(change.new)}</li>" for change in row.changes)
        else:
            items = "".join(
                f"<li>{_text(change.label)}: {_text(change.old)} → {_text(change.new)}</li>" for change in row.changes
            )
        return f'<ul class="mb-0">{items}</ul>'
    return "–"


@register.simple_tag
def import_rows(plan):
    """The table rows (``<tr>``) of the plan's rows: number, channel, result, and the changes or errors."""
    labels = {}  # the four results, translated once
    html = []
    for row in plan.rows:
        if row.action not in labels:
            labels[row.action] = _text(row.action_label)
        result = labels[row.action]
        if row.action == "error":
            result = f'<span class="badge text-bg-danger">{result}</span>'
        html.append(
            f'<tr class="import-row-{_text(row.action)}"><th scope="row">{row.number:d}</th>'
            f"<td>{_text(row.name or '–')}</td><td>{result}</td><td>{_details(row)}</td></tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped by _text
