"""Supervisor authorisations (esihenkilön valtuutus, §3 of the guideline).

An employee or office-holder needs their supervisor's authorisation to act as the municipality's
representative on social media. An authorisation names the person, the supervisor who gave it
(their supervisor or someone above them in the line), its scope (every channel of the municipality
or named channels) and its validity. Authorisations are never deleted: they end or are revoked,
and django-simple-history keeps every change.

Dates are the municipality's dates (``timezone.localdate()``, Europe/Helsinki); an authorisation is
valid on both its first and its last day.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels.models import Channel, Person
from core.validators import single_line


class AuthorisationScope(models.TextChoices):
    ALL_CHANNELS = "all", _("all the municipality's channels")
    NAMED_CHANNELS = "named", _("named channels")


class AuthorisationState(models.TextChoices):
    """Where an authorisation stands on a given day (computed, not stored)."""

    UPCOMING = "upcoming", _("not yet valid")
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("ended")
    REVOKED = "revoked", _("revoked")


def start_of_day(day):
    """The first moment of ``day`` in the municipality's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuthorisationQuerySet(models.QuerySet):
    def valid(self, on=None):
        """Authorisations in force on ``on`` (default: today in Europe/Helsinki), both ends inclusive.

        A revocation takes effect on the day it is made: an authorisation revoked at 10.00 is no
        longer valid that day, but it was valid on the days before (so history reads true).
        """
        on = on or timezone.localdate()
        not_revoked = Q(revoked_at__isnull=True) | Q(revoked_at__gte=start_of_day(on + datetime.timedelta(days=1)))
        return self.filter(not_revoked, valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))

    def covering(self, channel, on=None):
        """Authorisations valid on ``on`` whose scope includes ``channel``: every channel, or named ones with it.

        ``channel`` is a channel (or its pk), or ``OuterRef("channel")`` for a subquery of an update right's
        query (``Exists(Authorisation.objects.covering(OuterRef("channel")).filter(person=OuterRef("person")))``),
        which keeps a list of rights at one query however long it is.
        """
        if isinstance(channel, models.OuterRef):
            channel = models.OuterRef(channel)  # one level further out: from inside the named-channels subquery
        named = self.model.channels.through.objects.filter(authorisation=models.OuterRef("pk"), channel=channel)
        return self.valid(on).filter(Q(scope=AuthorisationScope.ALL_CHANNELS) | Q(models.Exists(named)))

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class Authorisation(models.Model):
    """A supervisor's authorisation for a person to act for the municipality on social media."""

    person = models.ForeignKey(
        Person, verbose_name=_("authorised person"), on_delete=models.PROTECT, related_name="authorisations"
    )
    granted_by = models.ForeignKey(
        Person,
        verbose_name=_("authorised by"),
        on_delete=models.PROTECT,
        related_name="authorisations_granted",
        help_text=_("The person's supervisor, or someone above them in the supervisor line."),
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=AuthorisationScope.choices, default=AuthorisationScope.ALL_CHANNELS
    )
    channels = models.ManyToManyField(
        Channel,
        verbose_name=_("channels"),
        blank=True,
        related_name="authorisations",
        help_text=_("When the scope is named channels: the channels the authorisation covers."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day of validity. Empty: until revoked.")
    )
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("E.g. which tasks or topics the authorisation covers.")
    )
    decision_reference = models.CharField(
        _("written decision"),
        max_length=200,
        blank=True,
        help_text=_("When the ICT secretary records a supervisor's written decision: its date and reference."),
        validators=[single_line],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    # Reasons for extending can be long: keep them whole, not cut at 100 characters.
    history = HistoricalRecords(m2m_fields=[channels], history_change_reason_field=models.TextField(null=True))
    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervisor authorisation")
        verbose_name_plural = _("supervisor authorisations")
        ordering = ["person", "-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="authorisation_until_not_before_from",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="authorisation_revoked_has_reason",
            ),
            models.CheckConstraint(condition=~Q(granted_by=F("person")), name="authorisation_not_self_granted"),
        ]
        indexes = [models.Index(fields=["person", "revoked_at"], name="authorisation_person_idx")]

    def __str__(self):
        return _("%(person)s, authorised by %(supervisor)s from %(date)s") % {
            "person": self.person,
            "supervisor": self.granted_by,
            "date": date_format(self.valid_from, "SHORT_DATE_FORMAT") if self.valid_from else "?",
        }

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The last day of validity cannot be before the first.")
        if self.revoked_at and not (self.revoke_reason or "").strip():
            errors["revoke_reason"] = _("Give a reason for revoking.")
        if not self.revoked_at and (self.revoke_reason or "").strip():
            errors["revoke_reason"] = _("A reason for revoking is only kept for a revoked authorisation.")
        if self.person_id and self.granted_by_id:
            if self.person_id == self.granted_by_id:
                errors["granted_by"] = _("Nobody can authorise themselves.")
            elif not self.person.is_in_line_of(self.granted_by):
                errors["granted_by"] = _("%(supervisor)s is not in %(person)s's supervisor line.") % {
                    "supervisor": self.granted_by,
                    "person": self.person,
                }
        if errors:
            raise ValidationError(errors)

    def state(self, on=None):
        on = on or timezone.localdate()
        if self.revoked_at and timezone.localdate(self.revoked_at) <= on:
            return AuthorisationState.REVOKED
        if self.valid_from > on:
            return AuthorisationState.UPCOMING
        if self.valid_until and self.valid_until < on:
            return AuthorisationState.EXPIRED
        return AuthorisationState.VALID

    def is_valid(self, on=None):
        return self.state(on) == AuthorisationState.VALID

    def covers(self, channel):
        """Whether the scope includes ``channel`` (whatever the dates); uses prefetched channels if any."""
        if self.scope == AuthorisationScope.ALL_CHANNELS:
            return True
        return any(c.pk == channel.pk for c in self.channels.all())

    def scope_display(self):
        """The scope as people read it: "all the municipality's channels" or the channel names."""
        if self.scope == AuthorisationScope.ALL_CHANNELS:
            return str(AuthorisationScope.ALL_CHANNELS.label)
        return ", ".join(channel_label(c) for c in self.channels.all())


def channel_label(channel):
    """A channel as the refusals name it: "Facebook: Esimerkkilän kaupunki"."""
    return f"{channel.platform.name}: {channel.name}"
