"""Channel proposals and their decisions (käyttöönottopäätös, §3 of the guideline).

A unit proposes a new social media service; the head of its responsibility area or the municipal manager
decides on it, names the responsible person and the goals. Approval creates the channel in the registry
(the proposal points to the channel; the registry never points back here). Every change of state is a
function of ``approvals.proposal_services``; this module only holds the data and the questions about it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models.rules import PolicyRule
from channels.models import Channel, Person, Platform, Purpose, Unit, UnitKind, UpdateRole
from core.access import is_ict_secretary
from core.languages import configured_languages
from core.roles import Role, has_role
from core.validators import single_line

__all__ = [
    "ChecklistAnswer",
    "Proposal",
    "ProposalChecklistAnswer",
    "ProposalEvent",
    "ProposalEventKind",
    "ProposalMaintainer",
    "ProposalStatus",
]


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting decision")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EDITABLE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.RETURNED)
DECIDED_STATUSES = (ProposalStatus.APPROVED, ProposalStatus.REJECTED)


def person_of(user):
    """The registry's person record of a login, or None (anonymous users and logins without one)."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def area_unit_ids(person):
    """Ids of the units whose responsibility area ``person`` heads: the areas and every unit below them.

    Mirrors ``Unit.area()``: a unit belongs to its nearest responsibility area, so the walk does not go
    down into another area. Cached on the person object (one query per level of the tree).
    """
    if person is None:
        return set()
    if not hasattr(person, "_somegov_area_unit_ids"):
        frontier = set(Unit.objects.filter(kind=UnitKind.AREA, head=person).values_list("pk", flat=True))
        ids = set(frontier)
        while frontier:
            frontier = (
                set(
                    Unit.objects.filter(parent_id__in=frontier).exclude(kind=UnitKind.AREA).values_list("pk", flat=True)
                )
                - ids
            )
            ids |= frontier
        person._somegov_area_unit_ids = ids
    return person._somegov_area_unit_ids


class ProposalQuerySet(models.QuerySet):
    def proposed_by(self, user):
        """Proposals the user made, or in which the user is the proposing person."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(created_by=user) | Q(proposer__user=user))

    def decidable_by(self, user):
        """Proposals (in any state) the user may decide on by role and data, except their own."""
        person = person_of(user)
        if person is None or person.has_left():
            return self.none()
        own = Q(created_by=user) | Q(proposer=person)
        if has_role(user, Role.MUNICIPAL_MANAGER):
            return self.exclude(own)
        if has_role(user, Role.AREA_HEAD):
            return self.filter(unit_id__in=area_unit_ids(person)).exclude(own)
        return self.none()

    def awaiting(self, user):
        """Submitted proposals waiting for the user's decision, oldest first."""
        return self.decidable_by(user).filter(status=ProposalStatus.SUBMITTED).order_by("submitted_at", "pk")

    def viewable_by(self, user):
        """Proposals the user may open: their own; once submitted, those they decide on or are named in;
        all for the ICT secretary, all submitted ones for the municipal manager."""
        if not user.is_authenticated:
            return self.none()
        if is_ict_secretary(user):
            return self.all()
        visible = Q(created_by=user) | Q(proposer__user=user)
        person = person_of(user)
        if person is not None:
            named = (
                Q(responsible_person=person)
                | Q(holiday_cover_person=person)
                | Q(Exists(ProposalMaintainer.objects.filter(proposal=OuterRef("pk"), person=person)))
            )
            scope = Q()
            if has_role(user, Role.MUNICIPAL_MANAGER):
                scope = Q(pk__isnull=False)
            elif has_role(user, Role.AREA_HEAD):
                scope = Q(unit_id__in=area_unit_ids(person))
            shared = named | scope if scope else named
            visible |= shared & ~Q(status=ProposalStatus.DRAFT)
        return self.filter(visible)


class Proposal(models.Model):
    """A unit's proposal for a new channel, and the decision on it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="channel_proposals"
    )
    proposer = models.ForeignKey(
        Person, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="channel_proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="proposals"
    )
    name = models.CharField(_("name of the channel"), max_length=200, validators=[single_line])
    address = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("The account's web address or handle, if it exists already."),
        validators=[single_line],
    )
    normalised_address = models.CharField(
        _("normalised address"), max_length=500, null=True, blank=True, editable=False, validators=[single_line]
    )
    purposes = models.JSONField(_("purposes"), default=list, blank=True, help_text=_("The purposes of §2."))
    goals = models.TextField(_("goals"), blank=True, help_text=_("What the service aims for (§3)."))
    target_audience = models.TextField(_("target audience"), blank=True)
    strategy_support = models.TextField(
        _("how it supports the municipal strategy"),
        blank=True,
        help_text=_("§3: using social media needs planning and must support the municipal strategy."),
    )
    why_new_channel = models.TextField(
        _("why the existing channels are not enough"),
        blank=True,
        help_text=_("For example the municipal website and the municipality's Facebook page."),
    )
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_responsible_for",
    )
    holiday_cover_person = models.ForeignKey(
        Person,
        verbose_name=_("holiday cover"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_covering",
    )
    holiday_cover_arrangement = models.TextField(
        _("holiday arrangement"), blank=True, help_text=_("§4: how the channel is looked after during holidays.")
    )
    response_plan = models.TextField(
        _("how messages are answered"),
        blank=True,
        help_text=_("§4: who answers messages and comments, and how, like other feedback."),
    )
    response_time = models.CharField(
        _("how fast messages are answered"),
        max_length=200,
        blank=True,
        help_text=_("For example “on working days within one working day”."),
        validators=[single_line],
    )
    language = models.CharField(
        _("proposer's language"),
        max_length=10,
        choices=configured_languages,
        default=settings.LANGUAGE_CODE,
        help_text=_("E-mail to the proposer is written in this language."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the decision's number and section."),
        validators=[single_line],
    )
    decision_conditions = models.TextField(_("conditions of the decision"), blank=True)
    decision_reason = models.TextField(_("reason for rejecting"), blank=True)
    channel = models.OneToOneField(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
        help_text=_("The registry's channel created by the approval."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel proposal")
        verbose_name_plural = _("channel proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status__in=DECIDED_STATUSES) & Q(decided_by__isnull=False, decided_at__isnull=False))
                | (~Q(status__in=DECIDED_STATUSES) & Q(decided_by__isnull=True, decided_at__isnull=True)),
                name="proposal_decided_has_decider_and_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])
                | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.APPROVED) & Q(channel__isnull=False))
                | (~Q(status=ProposalStatus.APPROVED) & Q(channel__isnull=True)),
                name="proposal_approved_has_channel",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REJECTED) | ~Q(decision_reason=""),
                name="proposal_rejected_has_reason",
            ),
            models.CheckConstraint(condition=~Q(decided_by=F("proposer")), name="proposal_not_decided_by_proposer"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="proposal_status_submitted_idx")]

    def __str__(self):
        return f"{self.name} ({self.platform})" if self.platform_id else self.name

    def clean(self):
        errors = {}
        if self.status in DECIDED_STATUSES and not (self.decided_by_id and self.decided_at):
            errors["decided_by"] = _("A decided proposal needs its decider and the date of the decision.")
        if self.status == ProposalStatus.APPROVED and not self.channel_id:
            errors["channel"] = _("An approved proposal needs the channel it created.")
        if self.status == ProposalStatus.REJECTED and not self.decision_reason.strip():
            errors["decision_reason"] = _("Give the reason for rejecting.")
        if self.decided_by_id and self.decided_by_id == self.proposer_id:
            errors["decided_by"] = _("Nobody decides on their own proposal.")
        unknown = set(self.purposes or []) - set(Purpose.values)
        if unknown:
            errors["purposes"] = _("Unknown purposes: %(values)s") % {"values": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors)

    # --- Questions ------------------------------------------------------------------------------------

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def is_decided(self):
        return self.status in DECIDED_STATUSES

    def is_proposed_by(self, user):
        return user.is_authenticated and (
            user.pk == self.created_by_id or (self.proposer.user_id is not None and self.proposer.user_id == user.pk)
        )

    def can_be_decided_by(self, user, *, any_status=False):
        """Whether ``user`` can decide on this proposal now: it awaits a decision and they are one of its deciders.

        The municipal manager decides for any unit, a head of a responsibility area for the units of
        their area; both by role AND by data (an active person record; ``Unit.head`` of the area).
        Nobody decides on a proposal they made or in which they are the proposing person.
        ``any_status=True`` asks only whether they are a decider, whatever the state: who will decide a
        draft once it is submitted, or whether someone who may not act on it was ever a decider at all.
        """
        if not any_status and self.status != ProposalStatus.SUBMITTED:
            return False
        person = person_of(user)
        if person is None or person.has_left() or self.is_proposed_by(user) or person.pk == self.proposer_id:
            return False
        if has_role(user, Role.MUNICIPAL_MANAGER):
            return True
        if has_role(user, Role.AREA_HEAD):
            area = self.unit.area()
            return area is not None and area.head_id == person.pk
        return False

    def can_be_edited_by(self, user):
        return self.is_editable and self.is_proposed_by(user)

    @property
    def age_days(self):
        """Whole days since the proposal was (last) submitted."""
        if self.submitted_at is None:
            return None
        return (timezone.localdate() - timezone.localtime(self.submitted_at).date()).days

    @property
    def default_decision_reference(self):
        return f"SOMEGOV-{self.pk}"

    def get_purposes_display(self):
        labels = dict(Purpose.choices)
        return [labels[value] for value in self.purposes or [] if value in labels]


class ProposalMaintainer(models.Model):
    """A person who will maintain the proposed channel, with their role and working time (§4)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="maintainers"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="proposed_maintenance"
    )
    role = models.CharField(_("role on the platform"), max_length=20, choices=UpdateRole.choices)
    weekly_hours = models.DecimalField(
        _("working time (hours a week)"),
        max_digits=4,
        decimal_places=1,
        help_text=_("§4: how much working time the person uses on the channel."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed maintainer")
        verbose_name_plural = _("proposed maintainers")
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="proposal_maintainer_once"),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=0, weekly_hours__lte=60), name="proposal_maintainer_hours_0_to_60"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.weekly_hours} h"


class ChecklistAnswer(models.TextChoices):
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class ProposalChecklistAnswer(models.Model):
    """The proposer's answer to one rule of the checklist (met / not met / not applicable, with a note)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="checklist_answers"
    )
    rule = models.ForeignKey(
        PolicyRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="proposal_answers"
    )
    answer = models.CharField(_("answer"), max_length=20, choices=ChecklistAnswer.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["proposal", "rule__position", "rule__code"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "rule"], name="checklist_answer_once_per_rule"),
            models.CheckConstraint(
                condition=Q(answer__in=["", ChecklistAnswer.MET]) | ~Q(note=""),
                name="checklist_answer_explains_exception",
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.get_answer_display() or '–'}"

    def clean(self):
        if self.answer in (ChecklistAnswer.NOT_MET, ChecklistAnswer.NOT_APPLICABLE) and not self.note.strip():
            raise ValidationError({"note": _("Explain why the rule is not met or does not apply.")})


class ProposalEventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    SUBMITTED = "submitted", _("Submitted for decision")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalEvent(models.Model):
    """One step of a proposal's timeline: who did what, when, and what they said."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=ProposalEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(
        _("by (name)"),
        max_length=200,
        help_text=_("The name at the time, kept even if the login is renamed."),
        validators=[single_line],
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.actor_name}"
