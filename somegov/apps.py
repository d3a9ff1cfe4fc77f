from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SomegovConfig(AppConfig):
    """The project on top: settings, root URLs, site pages, accessibility feedback, demo, retention, backups."""

    name = "somegov"
    verbose_name = _("Site")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from somegov.middleware import mark_refreshed

        user_logged_in.connect(mark_refreshed, dispatch_uid="somegov.session_refreshed_at_login")
