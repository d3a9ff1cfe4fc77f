from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SomegovConfig(AppConfig):
    name = "somegov"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from somegov import audit  # noqa: F401 - connects the log-in receivers
        from somegov.middleware import mark_refreshed
        from somegov.roles import grant_role_permissions

        # Model permissions exist only after every app has migrated, so the groups' rights
        # are synchronised here rather than in the data migration that creates the groups.
        post_migrate.connect(grant_role_permissions, dispatch_uid="somegov.grant_role_permissions")
        user_logged_in.connect(mark_refreshed, dispatch_uid="somegov.session_refreshed_at_login")
