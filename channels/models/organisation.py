"""The organisation: its units (municipality, responsibility areas, service units, group entities) and people.

A person keeps a row after leaving, for the decisions, authorisations and rights that name them; after the
retention period the row is anonymised (``somegov.retention``), never deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.languages import configured_languages, known_language_codes
from core.validators import single_line

__all__ = [
    "ANONYMISED_FIRST_NAME",
    "PERSON_DUTIES",
    "Person",
    "PersonQuerySet",
    "Unit",
    "UnitKind",
    "UnitQuerySet",
    "anonymised_last_name",
]


class UnitKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    AREA = "area", _("Responsibility area")
    SERVICE_UNIT = "service_unit", _("Service unit")
    GROUP_ENTITY = "group_entity", _("Group entity")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """A node of the organisation tree: municipality -> responsibility area -> service unit.

    Group entities (municipal companies of the *kuntakonserni*) hang from the municipality.
    """

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
        help_text=_("For a responsibility area: its head (vastuualuejohtaja)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_within_parent"),
            models.CheckConstraint(
                condition=Q(kind="municipality", parent__isnull=True)
                | (~Q(kind="municipality") & Q(parent__isnull=False)),
                name="unit_only_municipality_is_root",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == UnitKind.MUNICIPALITY and self.parent_id:
            raise ValidationError({"parent": _("The municipality is the root of the tree and has no parent.")})
        if self.kind != UnitKind.MUNICIPALITY and not self.parent_id:
            raise ValidationError({"parent": _("Choose the unit this one belongs to.")})
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot be inside itself.")})
                ancestor = ancestor.parent

    def ancestors(self):
        """This unit and the units above it, nearest first."""
        chain, unit = [], self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def area(self):
        """The responsibility area this unit belongs to (itself if it is one), or None."""
        return next((u for u in self.ancestors() if u.kind == UnitKind.AREA), None)


class PersonQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def left(self, on=None):
        on = on or timezone.localdate()
        return self.filter(left_on__lte=on)

    def anonymised(self):
        return self.filter(anonymised_on__isnull=False)

    def past_retention(self, left_before):
        """People who left before ``left_before`` and still have their personal data (see somegov.retention)."""
        return self.filter(left_on__lt=left_before, anonymised_on__isnull=True)

    def with_current_duties(self):
        """Annotate a boolean per duty in ``PERSON_DUTIES``: what the person still does in the registry.

        A person who has left but still holds one is a problem the ICT secretary fixes first (the registry
        flags it); until then the person's data is not removed, so the registry does not hide the problem.
        """
        # Imported here, not above: the channels and rights modules import this one.
        from channels.models.channels import Channel, ChannelStatus
        from channels.models.rights import UpdateRight

        in_charge = Channel.objects.exclude(status=ChannelStatus.RETIRED)
        return self.annotate(
            duty_update_right=Exists(UpdateRight.objects.current().filter(person=OuterRef("pk"))),
            duty_responsible=Exists(in_charge.filter(responsible_person=OuterRef("pk"))),
            duty_holiday_cover=Exists(in_charge.filter(holiday_cover_person=OuterRef("pk"))),
            duty_unit_head=Exists(Unit.objects.active().filter(head=OuterRef("pk"))),
        )


# What a person can still hold in the registry after leaving, as annotated by ``with_current_duties()``.
PERSON_DUTIES = {
    "duty_update_right": _("holds a current update right"),
    "duty_responsible": _("is the responsible person of a channel that is not retired"),
    "duty_holiday_cover": _("is the holiday cover of a channel that is not retired"),
    "duty_unit_head": _("is the head of a unit in use"),
}
# An anonymised person's name. It is data, in the registry's language (Finnish, as the names of units and
# channels are), so the spreadsheet export and import, search and ordering treat it as any name; the pages
# add a translated "anonymised" mark.
ANONYMISED_FIRST_NAME = "Poistunut henkilö"


def anonymised_last_name(pk):
    return f"#{pk}"


class Person(models.Model):
    """A member of staff who can be named responsible, maintainer or supervisor.

    Only work data is kept (the Act on Privacy in Working Life 759/2004 §3): name, title,
    unit, work e-mail and phone, dates. A person may or may not log in.
    """

    first_name = models.CharField(_("first name"), max_length=100, validators=[single_line])
    last_name = models.CharField(_("last name"), max_length=100, validators=[single_line])
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=200, blank=True, validators=[single_line])
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    work_email = models.EmailField(_("work e-mail"), blank=True)
    work_phone = models.CharField(_("work phone"), max_length=40, blank=True, validators=[single_line])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("The day the person left the municipality's service.")
    )
    commitment_signed_on = models.DateField(
        _("confidentiality and user commitment signed on"),
        null=True,
        blank=True,
        help_text=_("Salassapito- ja käyttäjäsitoumus (§5 of the guideline)."),
    )
    anonymised_on = models.DateField(
        _("anonymised on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The day the name, contact details and login were removed, when the retention period after leaving "
            "had passed. The entry stays, without them, for the decisions, authorisations and rights that name it."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=configured_languages,
        default=settings.LANGUAGE_CODE,
        help_text=_("The portal's e-mails to the person are written in this language."),
    )

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(supervisor=models.F("pk")), name="person_not_own_supervisor"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(started_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="person_leaves_after_starting",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_on__isnull=True) | Q(left_on__isnull=False),
                name="person_anonymised_only_after_leaving",
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=known_language_codes()),
                name="person_preferred_language_known",
                violation_error_message=_("Choose one of the portal's languages."),
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        if self.pk and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("A person cannot be their own supervisor.")})
        if self.left_on and self.started_on and self.left_on < self.started_on:
            raise ValidationError({"left_on": _("The leaving date cannot be before the starting date.")})
        if self.anonymised_on and not self.left_on:
            raise ValidationError({"left_on": _("An anonymised person's leaving date cannot be removed.")})
        if self.pk and self.supervisor_id:
            boss, seen = self.supervisor, set()
            while boss is not None and boss.pk not in seen:
                if boss.pk == self.pk:
                    raise ValidationError({"supervisor": _("The supervisor line would form a loop.")})
                seen.add(boss.pk)
                boss = boss.supervisor

    @property
    def is_anonymised(self):
        return self.anonymised_on is not None

    def has_left(self, on=None):
        on = on or timezone.localdate()
        return self.left_on is not None and self.left_on <= on

    def is_in_line_of(self, supervisor):
        """True when ``supervisor`` is this person's supervisor or someone above them in the line."""
        boss, seen = self.supervisor, set()
        while boss is not None and boss.pk not in seen:
            if boss.pk == supervisor.pk:
                return True
            seen.add(boss.pk)
            boss = boss.supervisor
        return False
