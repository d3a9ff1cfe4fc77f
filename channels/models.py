"""The organisation and the registry: units, people (and, later, platforms, channels, rights)."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


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

    name = models.CharField(_("name"), max_length=200)
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

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=200, blank=True)
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
    work_phone = models.CharField(_("work phone"), max_length=40, blank=True)
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
        choices=settings.LANGUAGES,
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
                condition=Q(preferred_language__in=[code for code, _name in settings.LANGUAGES]),
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


class PlatformKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    SOCIAL_NETWORK = "social_network", _("Social network")
    VIDEO = "video", _("Video service")
    IMAGE = "image", _("Image service")
    BLOG = "blog", _("Blog")
    MESSAGING = "messaging", _("Messaging channel")
    PROFESSIONAL = "professional", _("Professional network")


class AddressStyle(models.TextChoices):
    HANDLE = "handle", _("Handle or address (@name or https://...)")
    URL = "url", _("Web address only (https://...)")


class Platform(models.Model):
    """A service the municipality can be present on ("palvelu" in the guideline): Facebook, YouTube..."""

    slug = models.SlugField(
        _("identifier"),
        max_length=30,
        unique=True,
        help_text=_("Tells the address normaliser which service this is (facebook, instagram, website...)."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices)
    address_style = models.CharField(_("addresses are"), max_length=10, choices=AddressStyle.choices)
    short_label = models.CharField(_("short label"), max_length=4, help_text=_("Shown as the platform's icon."))
    terms_url = models.URLField(
        _("terms of service"), blank=True, help_text=_("§6: know the service's terms before using it.")
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12, help_text=_("How often the channels on this platform are reviewed.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1, review_interval_months__lte=60),
                name="platform_review_interval_1_to_60_months",
            )
        ]

    def __str__(self):
        return self.name


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
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("The account's web address or handle. May be empty until the account exists."),
    )
    normalised_address = models.CharField(
        _("normalised address"), max_length=500, null=True, blank=True, editable=False
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
        _("decision reference"), max_length=200, blank=True, help_text=_("E.g. the decision's number and section.")
    )
    website_link_url = models.URLField(
        _("linked from the municipal website at"),
        max_length=500,
        blank=True,
        help_text=_("§4: the page of the municipal website that links to this channel."),
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
        from channels.addresses import InvalidAddress, normalise_address

        errors = {}
        if self.address.strip() and self.platform_id:
            try:
                self.normalised_address = normalise_address(self.address, self.platform.slug)
            except InvalidAddress as exc:
                errors["address"] = exc.args[0] if exc.args else str(exc)
            else:
                clash = (
                    Channel.objects.filter(platform_id=self.platform_id, normalised_address=self.normalised_address)
                    .exclude(pk=self.pk)
                    .first()
                )
                if clash:
                    errors["address"] = _("This account is already in the registry as “%(name)s” (%(status)s).") % {
                        "name": clash.name,
                        "status": clash.get_status_display().lower(),
                    }
        else:
            self.normalised_address = None
        if self.status in (ChannelStatus.ACTIVE, ChannelStatus.PAUSED) and not self.address.strip():
            errors.setdefault("address", _("A channel in use needs its address."))
        unknown = set(self.purposes or []) - set(Purpose.values)
        if unknown:
            errors["purposes"] = _("Unknown purposes: %(values)s") % {"values": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors)

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


class UpdateRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    EDITOR = "editor", _("editor")
    MODERATOR = "moderator", _("moderator")
    ANALYST = "analyst", _("analyst")


class UpdateRightQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def held_by_leavers(self, on=None):
        """Current rights whose holder has left: each is a problem until revoked."""
        on = on or timezone.localdate()
        return self.current().filter(person__left_on__lte=on)


class UpdateRight(models.Model):
    """A person's right to publish on a channel (päivitysoikeus). Never deleted: revoked rights are history."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="rights")
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="rights")
    role = models.CharField(_("role on the platform"), max_length=20, choices=UpdateRole.choices)
    weekly_hours = models.DecimalField(
        _("working time (hours a week)"),
        max_digits=4,
        decimal_places=1,
        help_text=_("§4: how much working time the person uses on the channel."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
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

    history = HistoricalRecords()
    objects = UpdateRightQuerySet.as_manager()

    class Meta:
        verbose_name = _("update right")
        verbose_name_plural = _("update rights")
        ordering = ["channel", "person", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "channel"],
                condition=Q(revoked_at__isnull=True),
                name="update_right_one_current_per_person_and_channel",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=0, weekly_hours__lte=60), name="update_right_hours_0_to_60"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="update_right_revoke_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["channel", "revoked_at"], name="right_channel_current_idx")]

    def __str__(self):
        return f"{self.person} – {self.channel} ({self.get_role_display()})"

    @property
    def is_current(self):
        return self.revoked_at is None


class RegistryVersion(models.Model):
    """The version of the registry's public part: one row, changed in the same transaction as every change.

    ``channels.public`` keys its cached snapshot and the public pages' ETags by it, and reads it by primary key
    on every public request (one index probe, whatever the size of the history). ``channels.registry_version``
    changes it whenever a channel, platform or unit is saved or deleted: ``counter = counter + 1`` in one
    ``UPDATE``, so concurrent writers wait on the row lock in turn and no change is lost, and a new random
    ``token``, so a number that a rolled-back transaction used (and perhaps cached data under) is never met
    again with other data.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    counter = models.BigIntegerField(_("changes"), default=0)
    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("registry version")
        verbose_name_plural = _("registry versions")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(id=1), name="registry_version_single_row")]

    def __str__(self):
        return f"{self.counter}-{self.token}"
