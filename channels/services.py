"""Every operation that changes the registry. Views, admin actions, imports and commands call these.

Each function checks the current state and the actor, locks the rows it changes, records who/when/why
(django-simple-history keeps the full trail) and raises ``RegistryError`` with a message for people.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, ChannelStatus, Person, UpdateRight
from core.access import is_ict_secretary


class RegistryError(ValidationError):
    """A refused registry operation; its message says what is wrong, for the person who tried."""


# Other apps add conditions for granting an update right without channels importing them (the
# approvals app registers the supervisor-authorisation and commitment rule here in its ready()).
# A check takes (person, channel, on_date) and returns a list of messages saying what is missing.
GrantCheck = Callable[[Person, Channel, datetime.date], list]
GRANT_CHECKS: list[GrantCheck] = []


def register_grant_check(check: GrantCheck) -> GrantCheck:
    if check not in GRANT_CHECKS:
        GRANT_CHECKS.append(check)
    return check


# Which status may follow which. Proposed -> approved is the decision (approvals app); a retired
# channel can be brought back only by reactivating it, so its history stays in one place.
TRANSITIONS = {
    ChannelStatus.PROPOSED: {ChannelStatus.APPROVED, ChannelStatus.RETIRED},
    ChannelStatus.APPROVED: {ChannelStatus.ACTIVE, ChannelStatus.RETIRED},
    ChannelStatus.ACTIVE: {ChannelStatus.PAUSED, ChannelStatus.RETIRED},
    ChannelStatus.PAUSED: {ChannelStatus.ACTIVE, ChannelStatus.RETIRED},
    ChannelStatus.RETIRED: {ChannelStatus.ACTIVE},
}


def add_months(day, months):
    """``day`` plus whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return datetime.date(year, month, min(day.day, (next_month - datetime.timedelta(days=1)).day))


def next_review_date(channel, from_date):
    return add_months(from_date, channel.review_interval)


def _reason_required(reason):
    if not (reason or "").strip():
        raise RegistryError(_("Give a reason."))
    return reason.strip()


@transaction.atomic
def change_status(channel, new_status, *, actor, reason, on=None):
    """Move a channel to ``new_status``.

    Side effects: sets the status date; activation sets ``official_since`` (first time) and schedules
    the first review; retiring sets ``retired_on``; reactivating clears it. The reason is kept in history.
    """
    on = on or timezone.localdate()
    reason = _reason_required(reason)
    channel = Channel.objects.select_for_update().select_related("platform").get(pk=channel.pk)
    if new_status not in TRANSITIONS[channel.status]:
        raise RegistryError(
            _("A channel that is %(current)s cannot become %(new)s.")
            % {"current": channel.get_status_display().lower(), "new": ChannelStatus(new_status).label.lower()}
        )
    if new_status == ChannelStatus.ACTIVE and not channel.normalised_address:
        raise RegistryError(_("Record the channel's address before activating it."))
    fields = ["status", "status_changed_at", "updated_at"]
    if new_status == ChannelStatus.ACTIVE:
        if channel.official_since is None:
            channel.official_since = on
            fields.append("official_since")
        if channel.next_review_on is None:
            channel.next_review_on = next_review_date(channel, on)
            fields.append("next_review_on")
        if channel.retired_on:
            channel.retired_on = None
            fields.append("retired_on")
    if new_status == ChannelStatus.RETIRED:
        channel.retired_on = on
        fields.append("retired_on")
    channel.status = new_status
    channel.status_changed_at = timezone.now()
    channel._change_reason = reason
    channel._history_user = actor
    channel.save(update_fields=fields)
    return channel


# The statuses a channel can be recorded in when it is added: a new proposal, a decided channel, or (replacing
# the spreadsheet) one that is already in use or already retired.
CREATABLE = {ChannelStatus.PROPOSED, ChannelStatus.APPROVED, ChannelStatus.ACTIVE, ChannelStatus.PAUSED,
             ChannelStatus.RETIRED}  # fmt: skip
# Fields that only change_status (or create_channel) writes.
STATUS_FIELDS = ("status", "status_changed_at", "official_since", "retired_on")


class RightsRefused(RegistryError):
    """A channel not created because update rights for its maintainers were refused; every refusal is named."""


@transaction.atomic
def create_channel(channel=None, *, actor, reason="", on=None, maintainers=(), **fields):
    """Add a channel to the registry in the status it carries: ``channel`` unsaved (from a form or an import), or
    its field values as keyword arguments (a decision on a proposal, the demo). Returns the channel as saved.

    A channel recorded as active or paused gets ``official_since`` (today unless given) and its first review date;
    a retired one gets ``retired_on``. Validates the whole channel (address normalised and unique per platform).
    ``maintainers``, as (person, role, weekly_hours), each get their update right through ``grant_right``; if any
    is refused, ``RightsRefused`` names every refusal and nothing is saved. Side effects: a history row (by
    ``actor``, with ``reason``), the rights' history rows, and a new registry version (``channels.versioning``).
    """
    if channel is None:
        channel = Channel(**fields)
    elif fields:
        raise TypeError("Give either an unsaved channel or its fields, not both.")
    on = on or timezone.localdate()
    if channel.pk:
        raise RegistryError(_("This channel is already in the registry."))
    if channel.status not in CREATABLE:
        raise RegistryError(_("Unknown status."))
    if channel.status in (ChannelStatus.ACTIVE, ChannelStatus.PAUSED):
        channel.official_since = channel.official_since or on
        if channel.next_review_on is None:
            channel.next_review_on = next_review_date(channel, channel.last_reviewed_on or on)
    if channel.status == ChannelStatus.RETIRED:
        channel.retired_on = channel.retired_on or on
    channel.status_changed_at = timezone.now()
    channel.full_clean()
    channel._history_user = actor
    channel._change_reason = (reason or "").strip() or None
    channel.save()
    refused = []
    for person, role, weekly_hours in maintainers:
        try:
            grant_right(channel, person, role=role, weekly_hours=weekly_hours, actor=actor, on=on)
        except RegistryError as exc:
            refused.extend(
                _("No update right for %(person)s: %(reason)s") % {"person": person, "reason": message}
                for message in exc.messages
            )
    if refused:
        # Raising inside the atomic block rolls back the channel and every right granted above.
        raise RightsRefused(refused)
    return channel


@transaction.atomic
def update_channel(channel, *, actor, reason=""):
    """Save the details of ``channel`` (a changed instance). Its status and status dates stay as they are in the
    database: only ``change_status`` moves a channel through its life."""
    current = Channel.objects.select_for_update().get(pk=channel.pk)
    for field in STATUS_FIELDS:
        setattr(channel, field, getattr(current, field))
    channel.full_clean()
    channel._history_user = actor
    channel._change_reason = (reason or "").strip() or None
    channel.save()
    return channel


@transaction.atomic
def record_review(channel, reviewed_on, *, actor, reason):
    """Record that ``channel`` was reviewed on ``reviewed_on``: sets ``last_reviewed_on`` and schedules the next
    review (``next_review_date`` from that day). Returns the channel as saved.

    Locks the row and writes only those two fields, so a change saved meanwhile by someone else stays. Side
    effects: a history row (by ``actor``, with ``reason``) and a new registry version (``channels.versioning``).
    """
    # Lock the channel's row only: its platform (read for the review interval) is not written.
    channel = Channel.objects.select_for_update(of=("self",)).select_related("platform").get(pk=channel.pk)
    channel.last_reviewed_on = reviewed_on
    channel.next_review_on = next_review_date(channel, reviewed_on)
    channel._history_user = actor
    channel._change_reason = _reason_required(reason)
    channel.save(update_fields=["last_reviewed_on", "next_review_on", "updated_at"])
    return channel


def missing_for_right(person, channel, on=None):
    """What stops ``person`` from getting an update right on ``channel`` (empty when nothing)."""
    on = on or timezone.localdate()
    missing = []
    if person.has_left(on):
        missing.append(_("%(person)s has left the municipality's service.") % {"person": person})
    if channel.status == ChannelStatus.RETIRED:
        missing.append(_("The channel is retired."))
    for check in GRANT_CHECKS:
        missing.extend(check(person, channel, on))
    return missing


@transaction.atomic
def grant_right(channel, person, *, role, weekly_hours, actor, on=None):
    """Give ``person`` an update right on ``channel``.

    Refused, with every missing condition named, when the person has left, the channel is retired,
    the person already holds a current right there, or a registered check (authorisation, commitment)
    is not met. The channel row is locked so two grants for the same person cannot both pass.
    """
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    person = Person.objects.get(pk=person.pk)
    hours = Decimal(str(weekly_hours))
    if not Decimal(0) <= hours <= Decimal(60):
        raise RegistryError(_("Working time must be between 0 and 60 hours a week."))
    if UpdateRight.objects.current().filter(channel=channel, person=person).exists():
        raise RegistryError(
            _("%(person)s already has an update right on %(channel)s.") % {"person": person, "channel": channel.name}
        )
    missing = missing_for_right(person, channel, on)
    if missing:
        raise RegistryError(missing)
    right = UpdateRight(channel=channel, person=person, role=role, weekly_hours=hours, granted_by=actor)
    right._history_user = actor
    right.full_clean()
    right.save()
    return right


@transaction.atomic
def change_right(right, *, role, weekly_hours, actor):
    """Correct the role or working time of a current right (a revoked right is history and stays as it was)."""
    right = UpdateRight.objects.select_for_update().get(pk=right.pk)
    if right.revoked_at is not None:
        raise RegistryError(_("A revoked right cannot be changed."))
    hours = Decimal(str(weekly_hours))
    if not Decimal(0) <= hours <= Decimal(60):
        raise RegistryError(_("Working time must be between 0 and 60 hours a week."))
    right.role, right.weekly_hours = role, hours
    right.clean_fields(exclude=[f.name for f in UpdateRight._meta.fields if f.name not in ("role", "weekly_hours")])
    right._history_user = actor
    right.save(update_fields=["role", "weekly_hours"])
    return right


@transaction.atomic
def revoke_right(right, *, actor, reason):
    """Revoke a current update right; the right stays as history with who, when and why."""
    reason = _reason_required(reason)
    right = UpdateRight.objects.select_for_update().get(pk=right.pk)
    if right.revoked_at is not None:
        raise RegistryError(_("This right was already revoked on %(date)s.") % {"date": right.revoked_at.date()})
    right.revoked_at = timezone.now()
    right.revoked_by = actor
    right.revoke_reason = reason
    right._history_user = actor
    right.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return right


def _may_set_language(actor, person):
    if actor is None or not actor.is_authenticated:
        return False
    return person.user_id == actor.pk or is_ict_secretary(actor)


@transaction.atomic
def set_preferred_language(person, language, *, actor):
    """Record the language that the portal's e-mails to ``person`` are written in.

    The person sets their own (through the language switcher), the ICT secretary anyone's. Side effects: the
    person's row and a history row, only when the language changes. Returns the person as saved.
    """
    if language not in dict(settings.LANGUAGES):
        raise RegistryError(
            _("Unknown language “%(language)s”. Choose one of: %(choices)s.")
            % {"language": str(language)[:20], "choices": ", ".join(str(name) for _code, name in settings.LANGUAGES)}
        )
    if not _may_set_language(actor, person):
        raise PermissionDenied(_("Only the person themselves or the ICT secretary can change their language."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.preferred_language != language:
        person.preferred_language = language
        person._history_user = actor
        person.save(update_fields=["preferred_language"])
    return person
