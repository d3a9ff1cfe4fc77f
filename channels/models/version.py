"""The registry's version: one row that tells the public pages and their caches when the registry changed."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import single_line

__all__ = ["RegistryVersion"]


class RegistryVersion(models.Model):
    """The version of the registry's public part: one row, changed in the same transaction as every change.

    ``channels.public`` keys its cached snapshot and the public pages' ETags by it, and reads it by primary key
    on every public request (one index probe, whatever the size of the history). ``channels.versioning``
    changes it whenever a channel, platform or unit is saved or deleted: ``counter = counter + 1`` in one
    ``UPDATE``, so concurrent writers wait on the row lock in turn and no change is lost, and a new random
    ``token``, so a number that a rolled-back transaction used (and perhaps cached data under) is never met
    again with other data.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    counter = models.BigIntegerField(_("changes"), default=0)
    token = models.CharField(_("token"), max_length=32, validators=[single_line])

    class Meta:
        verbose_name = _("registry version")
        verbose_name_plural = _("registry versions")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(id=1), name="registry_version_single_row")]

    def __str__(self):
        return f"{self.counter}-{self.token}"
