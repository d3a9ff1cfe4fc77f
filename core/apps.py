from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared infrastructure: roles and access checks, rate limits, spreadsheets, mail, the audit log.

    The bottom layer: it imports Django and libraries only, never the portal's other apps.
    """

    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from core import audit  # noqa: F401 - connects the log-in receivers
        from core.roles import grant_role_permissions

        # Model permissions exist only after every app has migrated, so the groups' rights
        # are synchronised here rather than in the data migration that creates the groups.
        post_migrate.connect(grant_role_permissions, dispatch_uid="somegov.grant_role_permissions")
