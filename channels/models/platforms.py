"""Platforms: the services the municipality can be present on ("palvelu" in the guideline)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import single_line

__all__ = ["AddressStyle", "Platform", "PlatformKind"]


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
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices)
    address_style = models.CharField(_("addresses are"), max_length=10, choices=AddressStyle.choices)
    short_label = models.CharField(
        _("short label"), max_length=4, help_text=_("Shown as the platform's icon."), validators=[single_line]
    )
    terms_url = models.URLField(
        _("terms of service"),
        blank=True,
        help_text=_("§6: know the service's terms before using it."),
        validators=[single_line],
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
