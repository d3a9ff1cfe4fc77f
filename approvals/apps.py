from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Governance")

    def ready(self):
        # channels never imports approvals: the supervisor-authorisation and commitment rule (§3, §5)
        # is handed to channels.services here, so grant_right enforces it for every caller.
        from approvals.authorisation_services import authorisation_grant_check
        from channels.services import register_grant_check

        register_grant_check(authorisation_grant_check)
