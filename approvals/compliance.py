"""The automatic policy rules: plain functions over a channel, evaluated from the registry's own data.

A rule with ``kind = automatic`` names its check in ``PolicyRule.automatic_check``; the check is a
function ``check(channel, on) -> Outcome`` registered in ``CHECKS``. The functions read only what
``load_channels`` has loaded (the channel with its people and its current rights annotated by the
authorisation services), so the whole registry is evaluated in a fixed number of queries.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.authorisation_services import rights_with_basis
from approvals.models import PolicyRule, RuleKind
from channels.models import Channel, UpdateRight, UpdateRole
from channels.services import add_months

ACCESS_REVIEW_MONTHS = 3
EXPORT_MONTHS = 12


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.MET: _("met"),
    Status.NOT_MET: _("not met"),
    Status.NOT_APPLICABLE: _("does not apply"),
}
# Shown beside the text, never instead of it: the colour only repeats what the text says.
STATUS_SYMBOLS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.NOT_APPLICABLE: "–"}


@dataclasses.dataclass(frozen=True)
class Outcome:
    status: str
    message: str = ""

    @property
    def met(self):
        return self.status == Status.MET

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def symbol(self):
        return STATUS_SYMBOLS[self.status]


def _met():
    return Outcome(Status.MET)


def _not_met(message):
    return Outcome(Status.NOT_MET, str(message))


CHECKS: dict[str, Callable] = {}


def register_check(name):
    def decorator(function):
        CHECKS[name] = function
        return function

    return decorator


def _rights(channel):
    """The channel's current rights: loaded by ``load_channels`` (annotated), else read from the database."""
    if hasattr(channel, "current_rights"):
        return channel.current_rights
    return list(
        rights_with_basis(queryset=UpdateRight.objects.current().filter(channel=channel)).select_related("person")
    )


def _active(person, on):
    return person is not None and not person.has_left(on)


@register_check("responsible_person_active")
def responsible_person_active(channel, on):
    """Listed in the registry with an active responsible person and at least one update right (§3)."""
    if channel.responsible_person is None:
        return _not_met(_("No responsible person is named."))
    if not _active(channel.responsible_person, on):
        return _not_met(_("The responsible person %(person)s has left.") % {"person": channel.responsible_person})
    if not _rights(channel):
        return _not_met(_("Nobody holds an update right."))
    return _met()


@register_check("decision_recorded")
def decision_recorded(channel, on):
    """The decision that introduced the channel is recorded: who decided and when (§3)."""
    if channel.decided_by_id is None or channel.decided_on is None:
        return _not_met(_("The decision (who decided and when) is not recorded."))
    return _met()


@register_check("maintainers_with_hours")
def maintainers_with_hours(channel, on):
    """Maintainers are named with their working time (§4)."""
    rights = _rights(channel)
    if not rights:
        return _not_met(_("No maintainers are named."))
    without = [str(right.person) for right in rights if not right.weekly_hours]
    if without:
        return _not_met(_("Working time not defined: %(people)s.") % {"people": ", ".join(without)})
    return _met()


@register_check("rights_authorised")
def rights_authorised(channel, on):
    """Everyone with a current right is still in service and holds a valid authorisation covering it (§3)."""
    rights = _rights(channel)
    without = [str(right.person) for right in rights if right.has_left or not right.has_authorisation]
    if without:
        return _not_met(_("Without a valid authorisation: %(people)s.") % {"people": ", ".join(without)})
    return _met()


@register_check("commitments_signed")
def commitments_signed(channel, on):
    """Everyone with a current right has signed the confidentiality and user commitment (§5)."""
    without = [str(right.person) for right in _rights(channel) if not right.has_commitment]
    if without:
        return _not_met(_("Commitment not recorded: %(people)s.") % {"people": ", ".join(without)})
    return _met()


@register_check("holiday_cover")
def holiday_cover(channel, on):
    """Holiday-period maintenance is agreed: an active cover person or a written arrangement (§4)."""
    if _active(channel.holiday_cover_person, on) or channel.holiday_cover_arrangement.strip():
        return _met()
    if channel.holiday_cover_person is not None:
        return _not_met(_("The holiday cover person %(person)s has left.") % {"person": channel.holiday_cover_person})
    return _not_met(_("No holiday cover is recorded."))


@register_check("review_not_overdue")
def review_not_overdue(channel, on):
    """The periodic review is not overdue: the due day itself is not overdue, the next day is."""
    if channel.next_review_on is None:
        return _not_met(_("No review is scheduled."))
    if channel.next_review_on < on:
        return _not_met(_("The review was due on %(date)s.") % {"date": _date(channel.next_review_on)})
    return _met()


@register_check("two_administrators")
def two_administrators(channel, on):
    """At least two administrators, and not everyone an administrator (good practice)."""
    rights = _rights(channel)
    administrators = sum(1 for right in rights if right.role == UpdateRole.ADMINISTRATOR)
    if administrators < 2:
        return _not_met(_("%(count)s administrator(s); at least two are needed.") % {"count": administrators})
    if administrators == len(rights) and len(rights) > 2:
        return _not_met(_("Everyone is an administrator; give the others a narrower role."))
    return _met()


@register_check("access_reviewed")
def access_reviewed(channel, on):
    """The rights were reviewed within the last three months (the last periodic review)."""
    if channel.last_reviewed_on is None or add_months(channel.last_reviewed_on, ACCESS_REVIEW_MONTHS) < on:
        return _not_met(_("The update rights have not been reviewed in the last three months."))
    return _met()


@register_check("content_exported")
def content_exported(channel, on):
    """The content was exported (backed up) within the last twelve months."""
    if channel.content_exported_on is None or add_months(channel.content_exported_on, EXPORT_MONTHS) < on:
        return _not_met(_("The content has not been exported in the last twelve months."))
    return _met()


def _date(day):
    return day.strftime("%-d.%-m.%Y") if isinstance(day, datetime.date) else ""


def evaluate(rule, channel, on, platform_ids=None):
    """One automatic rule for one channel: an ``Outcome``.

    ``platform_ids``: the rule's platforms as a set (empty: every platform), when the caller has them at hand;
    ``evaluate_registry`` reads them once per rule instead of once per channel and rule.
    """
    applies = (
        rule.applies_to(channel) if platform_ids is None else not platform_ids or channel.platform_id in platform_ids
    )
    if not applies:
        return Outcome(Status.NOT_APPLICABLE)
    check = CHECKS.get(rule.automatic_check)
    if check is None:
        return Outcome(Status.NOT_APPLICABLE, str(_("The rule's check is unknown.")))
    return check(channel, on)


def automatic_rules():
    """The active automatic rules, with their platforms loaded (two queries)."""
    return list(PolicyRule.objects.active().filter(kind=RuleKind.AUTOMATIC).prefetch_related("platforms"))


def load_channels(queryset=None, on=None):
    """The channels with everything the checks read, in a fixed number of queries (two)."""
    on = on or timezone.localdate()
    rights = rights_with_basis(on, UpdateRight.objects.current()).select_related("person").order_by("pk")
    queryset = Channel.objects.in_use() if queryset is None else queryset
    return list(
        queryset.select_related(
            "platform", "owner_unit", "responsible_person", "holiday_cover_person", "decided_by"
        ).prefetch_related(Prefetch("rights", queryset=rights, to_attr="current_rights"))
    )


@dataclasses.dataclass
class ChannelCompliance:
    channel: Channel
    outcomes: list  # [(rule, Outcome)] in the order of the rules

    @property
    def gaps(self):
        return [(rule, outcome) for rule, outcome in self.outcomes if outcome.status == Status.NOT_MET]

    @property
    def is_compliant(self):
        return not self.gaps


def evaluate_registry(queryset=None, on=None, rules=None):
    """Every channel (in use, unless ``queryset`` says otherwise) against every automatic rule.

    Returns ``(rules, [ChannelCompliance])``; four queries whatever the number of channels.
    """
    on = on or timezone.localdate()
    rules = automatic_rules() if rules is None else rules
    channels = load_channels(queryset, on)
    platforms = [(rule, frozenset(platform.pk for platform in rule.platforms.all())) for rule in rules]
    return rules, [
        ChannelCompliance(channel, [(rule, evaluate(rule, channel, on, ids)) for rule, ids in platforms])
        for channel in channels
    ]


def evaluate_channel(channel, on=None):
    """The automatic rules for one channel: ``ChannelCompliance``."""
    _rules, rows = evaluate_registry(Channel.objects.filter(pk=channel.pk), on)
    return rows[0]
