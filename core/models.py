"""The audit log of use (Act on Information Management in Public Administration 906/2019 §17), and the organisation
that runs the portal."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import single_line


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
        _("actor's username"),
        max_length=150,
        blank=True,
        help_text=_("Kept even if the login is removed."),
        validators=[single_line],
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, validators=[single_line])
    object_id = models.CharField(_("object id"), max_length=64, blank=True, validators=[single_line])
    object_repr = models.CharField(_("object"), max_length=300, blank=True, validators=[single_line])
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    detail = models.CharField(_("detail"), max_length=500, blank=True, validators=[single_line])
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


class Organisation(models.Model):
    """The organisation that runs the portal: its name in the forms sentences need, its website, logo and contacts.

    One row (pk 1), edited by the ICT secretary at /organisaatio/. Until it is saved the environment gives the first
    values (``settings.ORGANISATION``); ``core.organisation.current()`` is what pages and messages read.
    """

    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_("In Finnish, as in a sentence's subject: “Esimerkkilän kaupunki”."),
        validators=[single_line],
    )
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=150,
        help_text=_("In Finnish: “Esimerkkilän kaupungin”."),
        validators=[single_line],
    )
    name_sv = models.CharField(
        _("name in Swedish"),
        max_length=150,
        blank=True,
        help_text=_("For example “Esimerkkilä stad”."),
        validators=[single_line],
    )
    name_sv_genitive = models.CharField(
        _("name in Swedish, genitive"),
        max_length=150,
        blank=True,
        help_text=_("For example “Esimerkkilä stads”. Left empty, an s is added to the Swedish name."),
        validators=[single_line],
    )
    name_en = models.CharField(
        _("name in English"),
        max_length=150,
        blank=True,
        help_text=_("For example “City of Esimerkkilä”."),
        validators=[single_line],
    )
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_("For narrow places and file names: “Esimerkkilä”."),
        validators=[single_line],
    )
    website = models.URLField(_("website"), blank=True, validators=[single_line])
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    registry_office_email = models.EmailField(
        _("registry office's e-mail"), blank=True, help_text=_("Where official mail and requests are sent.")
    )
    registry_office_phone = models.CharField(
        _("registry office's telephone"), max_length=40, blank=True, validators=[single_line]
    )
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    accessibility_email = models.EmailField(
        _("accessibility contact's e-mail"),
        blank=True,
        help_text=_("Named in the accessibility statement; accessibility feedback is answered from it."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["logo"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="core_organisation_only_one")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
