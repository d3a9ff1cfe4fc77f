"""Update rights: who may publish on which channel (päivitysoikeus), in what role and for how many hours.

A right is never deleted: revoking it records who, when and why, and the revoked row stays as history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels.models.channels import Channel
from channels.models.organisation import Person

__all__ = ["UpdateRight", "UpdateRightQuerySet", "UpdateRole"]


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
