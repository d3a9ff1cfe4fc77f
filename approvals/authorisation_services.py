"""Supervisor authorisations: granting, extending and revoking them, and the rule that ties them to
update rights.

The rule (§3 and §5 of the guideline): a person may get an update right on a channel only while they
hold a valid supervisor authorisation covering that channel and their confidentiality and user
commitment is recorded. ``authorisation_grant_check`` is registered with
``channels.services.register_grant_check`` in ``ApprovalsConfig.ready()``, so
``channels.services.grant_right`` enforces it for every caller: views, the admin, imports, decisions.

Who may authorise whom (decided here, documented in ``docs/governance.md``):

* A supervisor (a user with the supervisor, head of responsibility area or municipal manager role)
  authorises the people in their own supervisor line: direct and indirect reports. Never themselves,
  never someone outside their line. The authorisation is theirs (``granted_by``) and starts today or
  later: a supervisor cannot backdate one.
* The ICT secretary may *record* an authorisation that a supervisor gave in writing (e-mail, signed
  form): ``granted_by`` is still that supervisor, who must be in the person's line, and the written
  decision's reference is required. It may start on the decision's date, i.e. in the past. The ICT
  secretary cannot record an authorisation for themselves.
* Extending follows the same actor rule. Revoking is open to anyone above the person in the line and
  to the ICT secretary (who acts on a supervisor's request or when someone leaves); a reason is always
  required.
"""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from approvals.models.authorisations import Authorisation, AuthorisationScope, channel_label
from channels.models import Channel, ChannelStatus, Person, UpdateRight
from core.access import is_ict_secretary
from core.roles import Role, has_role
from guideline import services as guideline_services

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.AREA_HEAD, Role.MUNICIPAL_MANAGER)


class AuthorisationError(ValidationError):
    """A refused authorisation operation; the message says what is wrong, for the person who tried."""


def _date(day):
    return date_format(day, "SHORT_DATE_FORMAT")


# --- The supervisor line -------------------------------------------------------------------------


def person_of(user):
    """The person record of a login user, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_supervising(user):
    return has_role(user, *SUPERVISING_ROLES)


def line_of(supervisor):
    """Primary keys of everyone below ``supervisor`` in the supervisor line (direct and indirect).

    One query per level of the line, never per person; a loop in bad data cannot make it spin.
    """
    found, frontier = set(), {supervisor.pk}
    while frontier:
        level = set(Person.objects.filter(supervisor_id__in=frontier).order_by().values_list("pk", flat=True))
        frontier = level - found - {supervisor.pk}
        found |= frontier
    return found


# --- The rule ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Requirement:
    """One condition for publishing: what it is (``label``), whether it is met, and if not, what is missing.

    ``section`` is the number of the guideline's section the requirement comes from.
    """

    code: str
    label: str
    met: bool | None
    missing: str = ""
    section: str = ""


def has_commitment(person, on=None):
    on = on or timezone.localdate()
    return person.commitment_signed_on is not None and person.commitment_signed_on <= on


def publishing_requirements(person, channel=None, on=None, authorisations=None):
    """The conditions of §3 and §5 for ``person`` to publish on ``channel`` (on any channel when None).

    This is the one rule function: the grant check, the "my page" checklist and the problems list
    all read it, so they cannot disagree. ``authorisations``: the person's authorisations already loaded
    (with their channels prefetched), so a page listing many checks needs no query per check.
    """
    on = on or timezone.localdate()
    if authorisations is None:
        stored = Authorisation.objects.filter(person=person)
        authorised = stored.covering(channel, on).exists() if channel else stored.valid(on).exists()
    else:
        valid = [a for a in authorisations if a.is_valid(on)]
        authorised = any(a.covers(channel) for a in valid) if channel else bool(valid)
    if channel is not None:
        missing = _("%(person)s has no valid supervisor authorisation covering %(channel)s.") % {
            "person": person,
            "channel": channel_label(channel),
        }
        label = _("A valid supervisor authorisation covering %(channel)s") % {"channel": channel_label(channel)}
    else:
        missing = _("%(person)s has no valid supervisor authorisation.") % {"person": person}
        label = _("A valid supervisor authorisation")
    committed = has_commitment(person, on)
    return [
        Requirement("authorisation", label, authorised, "" if authorised else missing, "3"),
        Requirement(
            "commitment",
            _("The confidentiality and user commitment recorded"),
            committed,
            ""
            if committed
            else _("The confidentiality and user commitment of %(person)s is not recorded.") % {"person": person},
            "5",
        ),
    ]


def missing_for_publishing(person, channel=None, on=None):
    """What ``person`` still lacks before publishing on ``channel``: messages, empty when nothing."""
    return [str(r.missing) for r in publishing_requirements(person, channel, on) if r.met is False]


def authorisation_grant_check(person, channel, on_date):
    """The grant check registered with ``channels.services``: authorisation covering the channel + commitment."""
    return missing_for_publishing(person, channel, on_date)


# --- Operations ----------------------------------------------------------------------------------


def _reason_required(reason):
    if not (reason or "").strip():
        raise AuthorisationError({"reason": _("Give a reason.")})
    return reason.strip()


def _acting_as(actor, person):
    """How ``actor`` may act on ``person``'s authorisations: "supervisor" (someone above them in the
    line) or "ict_secretary"; otherwise PermissionDenied. Nobody acts on their own authorisation."""
    me = person_of(actor)
    if me is not None and me.pk == person.pk:
        raise PermissionDenied(_("Nobody can authorise themselves or change their own authorisation."))
    if me is not None and is_supervising(actor) and person.is_in_line_of(me):
        return "supervisor"
    if is_ict_secretary(actor):
        return "ict_secretary"
    if me is not None and is_supervising(actor):
        raise PermissionDenied(
            _("%(person)s is not in your supervisor line: only their own supervisors can authorise them.")
            % {"person": person}
        )
    raise PermissionDenied(_("Only the person's supervisors and the ICT secretary can do this."))


def _check_granted_by(person, granted_by, on):
    if granted_by.pk == person.pk:
        raise AuthorisationError({"granted_by": _("Nobody can authorise themselves.")})
    if not person.is_in_line_of(granted_by):
        raise AuthorisationError(
            {
                "granted_by": _("%(supervisor)s is not in %(person)s's supervisor line.")
                % {"supervisor": granted_by, "person": person}
            }
        )
    if granted_by.has_left(on):
        raise AuthorisationError({"granted_by": _("%(supervisor)s has left.") % {"supervisor": granted_by}})


def _check_channels(scope, channels):
    channels = list(channels or [])
    if scope == AuthorisationScope.ALL_CHANNELS:
        return []
    if not channels:
        raise AuthorisationError({"channels": _("Choose the channels the authorisation covers.")})
    retired = [c for c in channels if c.status == ChannelStatus.RETIRED]
    if retired:
        raise AuthorisationError(
            {
                "channels": _("These channels are retired: %(channels)s.")
                % {"channels": ", ".join(channel_label(c) for c in retired)}
            }
        )
    return channels


@transaction.atomic
def grant_authorisation(
    person,
    *,
    actor,
    granted_by=None,
    scope=AuthorisationScope.ALL_CHANNELS,
    channels=(),
    valid_from=None,
    valid_until=None,
    conditions="",
    decision_reference="",
    on=None,
):
    """Authorise ``person`` to act for the municipality on social media.

    ``granted_by`` defaults to the actor's own person (a supervisor authorising their report). The
    ICT secretary records a supervisor's written decision by naming that supervisor and the decision.
    Side effects: the person row is locked (two grants at once are serialised); who recorded it and
    when are stored; history keeps the rest. Refused with PermissionDenied (wrong actor) or
    AuthorisationError (bad dates, scope or supervisor).
    """
    on = on or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    acting_as = _acting_as(actor, person)
    decision_reference = (decision_reference or "").strip()
    me = person_of(actor)
    if acting_as == "supervisor" and (granted_by is None or granted_by.pk == me.pk):
        # A supervisor's own authorisation; only the ICT secretary records someone else's.
        granted_by, recording = me, False
    elif is_ict_secretary(actor):
        if granted_by is None:
            raise AuthorisationError({"granted_by": _("Name the supervisor who gave the authorisation.")})
        if not decision_reference:
            raise AuthorisationError(
                {"decision_reference": _("Name the supervisor's written decision you are recording.")}
            )
        recording = True
    else:
        raise PermissionDenied(_("You can only give authorisations in your own name."))
    _check_granted_by(person, granted_by, on)
    if person.has_left(on):
        raise AuthorisationError(_("%(person)s has left the municipality's service.") % {"person": person})
    valid_from = valid_from or on
    if valid_from < on and not recording:
        raise AuthorisationError({"valid_from": _("An authorisation cannot start in the past.")})
    if valid_until is not None and valid_until < valid_from:
        raise AuthorisationError({"valid_until": _("The last day of validity cannot be before the first.")})
    if valid_until is not None and valid_until < on:
        raise AuthorisationError({"valid_until": _("The authorisation would already have ended.")})
    channels = _check_channels(scope, channels)
    authorisation = Authorisation(
        person=person,
        granted_by=granted_by,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        conditions=(conditions or "").strip(),
        decision_reference=decision_reference,
        recorded_by=actor,
    )
    authorisation._history_user = actor
    authorisation.full_clean()
    authorisation.save()
    if channels:
        authorisation.channels.set(channels)
    return authorisation


@transaction.atomic
def extend_authorisation(authorisation, *, actor, valid_until, reason, on=None):
    """Move the last day of a current authorisation later (``valid_until=None``: until revoked).

    Allowed to the person's supervisors and to the ICT secretary (whose reason names the supervisor's
    written decision). The reason is kept in the history.

    An authorisation that has already ended or was revoked is not extended: a new one is granted,
    so that the record of the days without authorisation stays true.
    """
    on = on or timezone.localdate()
    reason = _reason_required(reason)
    authorisation = Authorisation.objects.select_for_update().select_related("person").get(pk=authorisation.pk)
    _acting_as(actor, authorisation.person)
    if authorisation.revoked_at is not None:
        raise AuthorisationError(_("A revoked authorisation cannot be extended; grant a new one."))
    if authorisation.valid_until is not None and authorisation.valid_until < on:
        raise AuthorisationError(
            _("This authorisation ended on %(date)s; grant a new one.") % {"date": _date(authorisation.valid_until)}
        )
    if authorisation.valid_until is None:
        raise AuthorisationError(_("This authorisation is already valid until revoked."))
    if valid_until is not None and valid_until <= authorisation.valid_until:
        raise AuthorisationError(
            {
                "valid_until": _("Choose a day after the current last day, %(date)s.")
                % {"date": _date(authorisation.valid_until)}
            }
        )
    authorisation.valid_until = valid_until
    authorisation._history_user = actor
    authorisation._change_reason = reason
    authorisation.save(update_fields=["valid_until"])
    return authorisation


@transaction.atomic
def revoke_authorisation(authorisation, *, actor, reason, on=None):
    """Revoke an authorisation from now on; it stays as history with who, when and why.

    Side effect, by design: none on update rights. Rights that lose their basis are not silently
    kept or silently removed: they show as problems (``rights_without_basis``) until the ICT
    secretary revokes them.
    """
    on = on or timezone.localdate()
    reason = _reason_required(reason)
    authorisation = Authorisation.objects.select_for_update().select_related("person").get(pk=authorisation.pk)
    _acting_as(actor, authorisation.person)
    if authorisation.revoked_at is not None:
        raise AuthorisationError(
            _("This authorisation was already revoked on %(date)s.")
            % {"date": _date(timezone.localdate(authorisation.revoked_at))}
        )
    if authorisation.valid_until is not None and authorisation.valid_until < on:
        raise AuthorisationError(
            _("This authorisation already ended on %(date)s.") % {"date": _date(authorisation.valid_until)}
        )
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = actor
    authorisation.revoke_reason = reason
    authorisation._history_user = actor
    authorisation._change_reason = reason
    authorisation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return authorisation


# --- Rights without a basis ----------------------------------------------------------------------


def rights_with_basis(on=None, queryset=None):
    """Current update rights annotated with ``has_authorisation``, ``has_commitment`` and ``has_left``.

    Three annotations computed in the database, so lists of rights stay at a constant query count.
    """
    on = on or timezone.localdate()
    rights = UpdateRight.objects.current() if queryset is None else queryset
    covering = Authorisation.objects.covering(OuterRef("channel"), on).filter(person=OuterRef("person"))
    return rights.annotate(
        has_authorisation=Exists(covering),
        has_commitment=Case(
            When(person__commitment_signed_on__lte=on, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        has_left=Case(
            When(person__left_on__lte=on, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def rights_without_basis(on=None, queryset=None):
    """Current rights whose holder has left, has no valid authorisation covering the channel, or no
    recorded commitment. Each is a problem until the right is revoked (or the basis restored)."""
    return (
        rights_with_basis(on, queryset)
        .filter(Q(has_authorisation=False) | Q(has_commitment=False) | Q(has_left=True))
        .select_related("person", "channel__platform", "channel__owner_unit")
        .order_by("channel__name", "channel__pk", "person__last_name", "person__first_name", "pk")
    )


def basis_problems(right, on=None):
    """What is wrong with a right annotated by ``rights_with_basis``: messages, empty when nothing."""
    problems = []
    if right.has_left:
        problems.append(
            _("%(person)s left the municipality's service on %(date)s.")
            % {"person": right.person, "date": _date(right.person.left_on)}
        )
    if not right.has_authorisation:
        problems.append(
            _("%(person)s has no valid supervisor authorisation covering %(channel)s.")
            % {"person": right.person, "channel": channel_label(right.channel)}
        )
    if not right.has_commitment:
        problems.append(
            _("The confidentiality and user commitment of %(person)s is not recorded.") % {"person": right.person}
        )
    return [str(p) for p in problems]


def problems_for_channel(channel, on=None):
    """The channel's rights without basis, for the registry's channel page (a hook for the registry)."""
    return rights_without_basis(on, UpdateRight.objects.current().filter(channel=channel))


def problems_for_person(person, on=None):
    """The person's rights without basis, for the registry's person page (a hook for the registry)."""
    return rights_without_basis(on, UpdateRight.objects.current().filter(person=person))


def channels_with_gaps(channels, on=None):
    """Annotate channels with ``has_gap``: a current right without basis, or nobody with a right at all."""
    bad = rights_without_basis(on, UpdateRight.objects.current().filter(channel=OuterRef("pk"))).order_by()
    anyone = UpdateRight.objects.current().filter(channel=OuterRef("pk"))
    return channels.annotate(
        has_gap=Case(
            When(Q(Exists(bad)) | ~Q(Exists(anyone)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def channels_for_matrix():
    """The channels whose publishers the ICT secretary answers for: every channel that is not retired."""
    return Channel.objects.exclude(status=ChannelStatus.RETIRED).select_related("platform", "owner_unit")


# --- The guideline (§6) ------------------------------------------------------------------------------


def guideline_acknowledgements(people, on=None):
    """{person_pk: whether they acknowledged the guideline version in force}: one query for any number of people."""
    return guideline_services.acknowledged_current_version(list(people))


def guideline_requirement(person, on=None, acknowledged=None):
    """``acknowledged``: the slot's answer already loaded for a page ({person_pk: bool}), to save its query."""
    if acknowledged is None:
        acknowledged = guideline_acknowledgements([person], on)
    label = _("The current guideline version read and acknowledged")
    met = bool(acknowledged.get(person.pk))
    return Requirement(
        "guideline", label, met, "" if met else _("The current guideline version is not acknowledged."), "6"
    )


def my_checklist(person, on=None, authorisations=None, acknowledged=None):
    """The "before I may publish" checklist: the rule's requirements plus the guideline (§6)."""
    return [
        *publishing_requirements(person, None, on, authorisations),
        guideline_requirement(person, on, acknowledged),
    ]
