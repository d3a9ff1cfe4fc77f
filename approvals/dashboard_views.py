"""The compliance dashboard for the ICT secretary and the municipal manager, and its CSV/XLSX export.

Everything is read in a fixed number of queries whatever the size of the registry: the automatic rules
for every channel in use (``approvals.compliance``), one query for the counts, one for the proposals
awaiting a decision, one for the rights held by people who have left.
"""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.compliance import STATUS_LABELS, Status, evaluate_registry
from approvals.models import Proposal, ProposalStatus
from channels.models import Channel, ChannelStatus, UpdateRight
from core import audit, spreadsheets
from core.access import oversees_all
from core.models import AuditAction

DUE_DAYS = 30
CHART_WIDTH = 300  # the longest bar, in SVG units
MATRIX_PER_PAGE = 50  # channels per page of the compliance table
LIST_LIMIT = 50  # rows shown of the review and leaver lists; the registry's own pages list them all


def _check_access(request):
    if not oversees_all(request.user):
        raise PermissionDenied


def _bars(counts):
    """``[(label, count)]`` as rows for an SVG bar chart: label, count, bar width and y position."""
    largest = max((count for _label, count in counts), default=0) or 1
    return [
        {"label": label, "count": count, "width": max(1, round(CHART_WIDTH * count / largest)), "y": index * 28}
        for index, (label, count) in enumerate(counts)
    ]


def _chart(title, counts):
    counts = list(counts)
    return {
        "title": title,
        "bars": _bars(counts),
        "height": max(28, 28 * len(counts)),
        "summary": "; ".join(f"{label}: {count}" for label, count in counts),
    }


def dashboard_data(on=None):
    on = on or timezone.localdate()
    rules, rows = evaluate_registry(on=on)
    all_channels = list(Channel.objects.values_list("status", "owner_unit__name", "platform__name"))
    status_labels = dict(ChannelStatus.choices)
    by_status = Counter(status for status, _unit, _platform in all_channels)
    in_use = [(unit, platform) for status, unit, platform in all_channels if status in ("active", "paused")]
    by_unit = Counter(unit for unit, _platform in in_use)
    by_platform = Counter(platform for _unit, platform in in_use)
    horizon = on + datetime.timedelta(days=DUE_DAYS)
    overdue = [row.channel for row in rows if row.channel.next_review_on and row.channel.next_review_on < on]
    unscheduled = [row.channel for row in rows if row.channel.next_review_on is None]
    due_soon = [
        row.channel for row in rows if row.channel.next_review_on and on <= row.channel.next_review_on <= horizon
    ]
    per_rule = [
        (rule, sum(1 for row in rows for r, outcome in row.outcomes if r is rule and outcome.status == Status.NOT_MET))
        for rule in rules
    ]
    return {
        "on": on,
        "rules": rules,
        "rows": rows,
        "compliant_count": sum(1 for row in rows if row.is_compliant),
        "by_status": [(status_labels[status], by_status.get(status, 0)) for status in ChannelStatus.values],
        "by_unit": sorted(by_unit.items()),
        "by_platform": sorted(by_platform.items()),
        "overdue": sorted(overdue, key=lambda c: (c.next_review_on, c.name)),
        "unscheduled": unscheduled,
        "due_soon": sorted(due_soon, key=lambda c: (c.next_review_on, c.name)),
        "per_rule": per_rule,
        "proposals": list(
            Proposal.objects.filter(status=ProposalStatus.SUBMITTED)
            .select_related("unit", "platform")
            .order_by("submitted_at", "pk")
        ),
        "leavers": list(
            UpdateRight.objects.held_by_leavers(on)
            .select_related("person", "channel__platform")
            .order_by("person__last_name", "person__first_name", "channel__name", "pk")
        ),
    }


def dashboard(request):
    _check_access(request)
    data = dashboard_data()
    # The counts above cover every channel; the table shows a page of them (a national registry has
    # tens of thousands), optionally only those that miss a rule.
    problems_only = request.GET.get("show") == "problems"
    matrix_rows = [row for row in data["rows"] if not row.is_compliant] if problems_only else data["rows"]
    data["problems_only"] = problems_only
    data["matrix_page"] = Paginator(matrix_rows, MATRIX_PER_PAGE).get_page(request.GET.get("page"))
    data["matrix_query"] = "show=problems" if problems_only else ""
    data["list_limit"] = LIST_LIMIT
    data["reviews_total"] = len(data["overdue"]) + len(data["due_soon"])
    data["reviews_shown"] = (data["overdue"] + data["due_soon"])[:LIST_LIMIT]
    data["overdue_keys"] = {channel.pk for channel in data["overdue"]}
    data["leavers_shown"] = data["leavers"][:LIST_LIMIT]
    data["charts"] = [
        _chart(_("Channels in use by platform"), data["by_platform"]),
        _chart(
            _("Channels not meeting each automatic rule"), [(rule.display_title, n) for rule, n in data["per_rule"]]
        ),
    ]
    data["legend"] = [
        {"status": status, "label": STATUS_LABELS[status], "symbol": symbol}
        for status, symbol in (("met", "✓"), ("not_met", "✗"), ("not_applicable", "–"))
    ]
    return render(request, "approvals/dashboard/dashboard.html", data)


def _export_rows(data):
    header = [_("Channel"), _("Platform"), _("Unit"), _("Status"), _("Next review"), _("Compliant")]
    header += [rule.display_title for rule in data["rules"]]
    rows = [header]
    for row in data["rows"]:
        channel = row.channel
        rows.append(
            [
                channel.name,
                channel.platform.name,
                channel.owner_unit.name,
                channel.get_status_display(),
                channel.next_review_on,
                _("yes") if row.is_compliant else _("no"),
                *[str(outcome.label) for _rule, outcome in row.outcomes],
            ]
        )
    return rows


def _export(request, file_format):
    """The dashboard's table as CSV or XLSX (``core.spreadsheets``)."""
    _check_access(request)
    name = f"kojelauta-{timezone.localdate().isoformat()}"
    rows = _export_rows(dashboard_data())
    # Every export is logged (906/2019 §17), this one too, although its rows name channels rather than people.
    audit.record(
        request,
        AuditAction.EXPORT,
        object_type=Channel._meta.label,
        object_repr="compliance dashboard",
        detail=f"{file_format}, {len(rows) - 1} rows",
    )
    return spreadsheets.download(rows, file_format, name, title=_("Compliance"))


def dashboard_csv(request):
    return _export(request, "csv")


def dashboard_xlsx(request):
    return _export(request, "xlsx")
