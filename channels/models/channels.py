"""Channels: the municipality's official presences on the platforms, with their status, purposes and security.

The questions asked of the whole registry (in use, overdue for review, with problems, search) are methods of
``ChannelQuerySet``; every change of a channel's state is a function of ``channels.services``.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels.models.organisation import Person, Unit
from channels.models.platforms import Platform
from core.validators import single_line

__all__ = ["Channel", "ChannelQuerySet", "ChannelStatus", "CrisisRole", "Purpose", "TwoFactorMethod"]


class ChannelStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    RETIRED = "retired", _("Retired")


class Purpose(models.TextChoices):
    """The purposes listed in §2 of the guideline."""

    EXTERNAL_COMMUNICATION = "external_communication", _("external communication and marketing")
    INFORMATION = "information", _("sharing information")
    SERVICE_AWARENESS = "service_awareness", _("making services known")
    FEEDBACK = "feedback", _("receiving feedback")
    INITIATIVES = "initiatives", _("receiving initiatives")
    CUSTOMER_SERVICE = "customer_service", _("customer service and advice")
    PARTICIPATION = "participation", _("promoting participation and community")
    PUBLIC_OPINION = "public_opinion", _("finding out residents' opinions")
    SERVICE_DELIVERY = "service_delivery", _("providing a service")
    PROFESSIONAL_NETWORKING = (
        "professional_networking",
        _("staff's professional networking and developing work and skills"),
    )
    PARTNER_COOPERATION = "partner_cooperation", _("working with partners")


PURPOSE_VALUES = frozenset(Purpose.values)  # Purpose.values builds a new list each time


class TwoFactorMethod(models.TextChoices):
    NONE = "", _("not in use")
    APP = "app", _("authenticator app")
    SECURITY_KEY = "security_key", _("security key")
    SMS = "sms", _("text message")
    OTHER = "other", _("other")


class CrisisRole(models.TextChoices):
    UNDECIDED = "undecided", _("not decided")
    YES = "yes", _("carries crisis communication")
    NO = "no", _("not used in a crisis")


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ChannelStatus.ACTIVE)

    def in_use(self):
        """Channels that exist on the platform and need looking after: active or paused."""
        return self.filter(status__in=[ChannelStatus.ACTIVE, ChannelStatus.PAUSED])

    def review_overdue(self, on=None):
        on = on or timezone.localdate()
        return self.in_use().filter(next_review_on__lt=on)

    def with_problems(self, on=None):
        """Annotate ``problem_<code>`` for every registered kind of problem and ``has_problems`` (see problems.py)."""
        from channels.problems import annotate_problems

        return annotate_problems(self, on)

    def search(self, text):
        """Channels whose name or address matches, or whose responsible person or a current maintainer does.

        A pasted address also finds its channel when typed differently (``m.facebook.com/X/?ref=y``).
        """
        from channels.addresses import InvalidAddress, candidate_keys
        from channels.models.rights import UpdateRight  # here, not above: rights.py imports this module

        text = (text or "").strip()
        if not text:
            return self
        condition = Q(name__icontains=text) | Q(address__icontains=text) | Q(normalised_address__icontains=text)
        with contextlib.suppress(InvalidAddress):
            condition |= Q(normalised_address__in=candidate_keys(text))
        people = Person.objects.filter(_name_matches(text))
        condition |= Q(responsible_person__in=people.values("pk"))
        holders = UpdateRight.objects.filter(
            channel=models.OuterRef("pk"), revoked_at__isnull=True, person__in=people.values("pk")
        )
        return self.filter(condition | models.Exists(holders))


def _name_matches(text):
    """Every word of ``text`` is in the person's first or last name (so "Teemu Tervo" and "tervo" both match)."""
    condition = Q()
    for word in text.split():
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return condition


class Channel(models.Model):
    """One official presence of the municipality: a page, account or site on a platform."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="channels"
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    address = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("The account's web address or handle. May be empty until the account exists."),
        validators=[single_line],
    )
    normalised_address = models.CharField(
        _("normalised address"), max_length=500, null=True, blank=True, editable=False, validators=[single_line]
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="channels"
    )
    purposes = models.JSONField(_("purposes"), default=list, blank=True, help_text=_("The purposes of §2."))
    goals = models.TextField(_("goals"), blank=True, help_text=_("What the service aims for (§3)."))
    target_audience = models.TextField(_("target audience"), blank=True)
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    decided_by = models.ForeignKey(
        Person,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="channel_decisions",
        help_text=_("The municipal manager or head of responsibility area who decided on introducing it."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the decision's number and section."),
        validators=[single_line],
    )
    website_link_url = models.URLField(
        _("linked from the municipal website at"),
        max_length=500,
        blank=True,
        help_text=_("§4: the page of the municipal website that links to this channel."),
        validators=[single_line],
    )
    holiday_cover_person = models.ForeignKey(
        Person,
        verbose_name=_("holiday cover"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holiday_cover_for",
    )
    holiday_cover_arrangement = models.TextField(
        _("holiday arrangement"), blank=True, help_text=_("§4: how the channel is looked after during holidays.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.PROPOSED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    official_since = models.DateField(_("official since"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True, db_index=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the platform's interval."),
    )
    # Account security, as the National Cyber Security Centre Finland advises.
    two_factor_method = models.CharField(
        _("two-factor authentication"), max_length=20, choices=TwoFactorMethod.choices, blank=True
    )
    recovery_email_is_organisational = models.BooleanField(
        _("recovery e-mail belongs to the organisation"), default=False
    )
    recovery_phone_is_organisational = models.BooleanField(
        _("recovery phone belongs to the organisation"), default=False
    )
    credentials_location = models.CharField(
        _("where the credentials are kept"),
        max_length=200,
        blank=True,
        help_text=_("A reference to the entry in the organisation's password manager. Never a password."),
        validators=[single_line],
    )
    content_exported_on = models.DateField(
        _("content last exported on"),
        null=True,
        blank=True,
        help_text=_("A hijacked account can lose years of posts: export the content regularly."),
    )
    crisis_role = models.CharField(
        _("crisis communication"), max_length=10, choices=CrisisRole.choices, default=CrisisRole.UNDECIDED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name", "pk"]
        constraints = [
            # One account cannot be registered twice (the address is compared normalised).
            models.UniqueConstraint(
                fields=["platform", "normalised_address"],
                condition=Q(normalised_address__isnull=False),
                name="channel_address_unique_per_platform",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["active", "paused"]) | Q(normalised_address__isnull=False),
                name="channel_in_use_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(retired_on__isnull=False), name="channel_retired_has_date"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_months__isnull=True)
                | Q(review_interval_months__gte=1, review_interval_months__lte=60),
                name="channel_review_interval_1_to_60_months",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "status"], name="channel_unit_status_idx"),
            models.Index(fields=["platform", "status"], name="channel_platform_status_idx"),
            # The registry list's default order: a page of 25 is read from the index instead of sorting them all.
            models.Index(fields=["name", "id"], name="channel_name_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.platform})" if self.platform_id else self.name

    def clean(self):
        from channels.addresses import InvalidAddress

        errors = {}
        if self.address.strip() and self.platform_id:
            try:
                self.normalised_address = self.address_key()
            except InvalidAddress as exc:
                errors["address"] = exc.args[0] if exc.args else str(exc)
            else:
                clash = self.address_clash()
                if clash:
                    errors["address"] = _("This account is already in the registry as “%(name)s” (%(status)s).") % {
                        "name": clash.name,
                        "status": clash.get_status_display().lower(),
                    }
        else:
            self.normalised_address = None
        if self.status in (ChannelStatus.ACTIVE, ChannelStatus.PAUSED) and not self.address.strip():
            errors.setdefault("address", _("A channel in use needs its address."))
        unknown = set(self.purposes or []) - PURPOSE_VALUES
        if unknown:
            errors["purposes"] = _("Unknown purposes: %(values)s") % {"values": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors)

    def address_key(self):
        """The address normalised on the channel's platform (``channels.addresses.normalise_address``).

        The import's preview has worked it out already, to find the channel a row means, and answers it from there
        (``channels.transfer.importing``): normalising is the costliest step of checking a row."""
        from channels.addresses import normalise_address

        return normalise_address(self.address, self.platform.slug)

    def address_clash(self):
        """The other channel registered with this one's normalised address on its platform, or None (one query).

        The import's preview, which has every channel in memory already, answers this from there instead
        (``channels.transfer.importing``), so that a file of thousands of rows is not thousands of queries."""
        return (
            Channel.objects.filter(platform_id=self.platform_id, normalised_address=self.normalised_address)
            .exclude(pk=self.pk)
            .first()
        )

    def validate_constraints(self, exclude=None):
        # clean() already reports a duplicate address naming the existing channel; the database
        # constraint's generic message would only repeat it.
        super().validate_constraints(exclude={*(exclude or ()), "normalised_address"})

    @property
    def review_interval(self):
        return self.review_interval_months or self.platform.review_interval_months

    def problems(self, on=None):
        """This channel's problems (see problems.py); no query when it came from ``with_problems()``."""
        from channels.problems import problems_of

        return problems_of(self, on)

    def get_purposes_display(self):
        labels = dict(Purpose.choices)
        return [labels[value] for value in self.purposes or [] if value in labels]
