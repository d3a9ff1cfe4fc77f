"""The registry as the spreadsheet the import reads (CSV or XLSX), with the rights and problems for reading."""

import datetime
from decimal import Decimal

from django.utils import translation

from channels.transfer.columns import COLUMNS, LIST_SEPARATOR, Lookups, display_value
from core import spreadsheets

SHEET_TITLE = "Somekanavat"


def export_rows(channels):
    """The header row and one row per channel, with values as Python objects (dates stay dates)."""
    lookups = Lookups()
    if "has_problems" not in channels.query.annotations:
        channels = channels.with_problems()
    channels = channels.select_related(
        "platform", "owner_unit", "owner_unit__parent", "responsible_person", "decided_by", "holiday_cover_person"
    ).prefetch_related("rights__person")
    rows = [[column.header for column in COLUMNS]]
    with translation.override("fi"):
        for channel in channels:
            row = []
            for column in COLUMNS:
                value = channel.pk if column.field == "pk" else getattr(channel, column.field, None)
                if column.field == "rights":
                    value = LIST_SEPARATOR.join(
                        f"{lookups.person_label(right.person)} ({right.get_role_display()}, "
                        f"{_hours(right.weekly_hours)} h/vko)"
                        for right in channel.rights.all()
                        if right.is_current
                    )
                elif column.field == "problems":
                    value = LIST_SEPARATOR.join(str(problem.label) for problem in channel.problems())
                elif column.kind in ("date", "export") and isinstance(value, datetime.date):
                    pass
                elif column.kind != "id":
                    value = "" if value in (None, "", []) else display_value(column, value, lookups)
                row.append(value)
            rows.append(row)
    return rows


def _hours(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def export_channels(channels, file_format):
    """The channels as a file in ``file_format`` (csv or xlsx) and its content type."""
    content = spreadsheets.spreadsheet_bytes(export_rows(channels), file_format, title=SHEET_TITLE)
    return content, spreadsheets.CONTENT_TYPES[file_format]
