"""The audit log of use (Act on Information Management in Public Administration 906/2019 §17)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed to log in")
    LOGOUT = "logout", _("logged out")
    VIEW_PERSON = "view_person", _("viewed a person's data")
    VIEW_PEOPLE = "view_people", _("viewed a list of people")
    EXPORT = "export", _("exported data")
    IMPORT_PREVIEW = "import_preview", _("previewed an import")
    IMPORT = "import", _("imported data")
    CHANGE = "change", _("changed data")
    CHANGE_ROLES = "change_roles", _("changed roles")
    READ_LOG = "read_log", _("read the audit log")
    PURGE = "purge", _("purged old records")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")
    REFUSED = "refused", _("refused")


class AuditEventQuerySet(models.QuerySet):
    def older_than(self, days):
        return self.filter(at__lt=timezone.now() - timezone.timedelta(days=days))


class AuditEvent(models.Model):
    """One entry of the use and disclosure log (Act on Information Management 906/2019 §17).

    Confidential: only the ICT secretary reads it. Kept for AUDIT_RETENTION_DAYS, then purged.
    Who changed what in the registry is in the models' own history; this log records use:
    log-ins, views of personal data, exports and imports, backups and restores, role changes and reads of this
    log itself.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(
        _("actor's username"), max_length=150, blank=True, help_text=_("Kept even if the login is removed.")
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.get_action_display()} {self.object_repr}"
