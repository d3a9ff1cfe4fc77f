from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Governance")

    def ready(self):
        # channels and somegov never import approvals: the rule that ties update rights to supervisor
        # authorisations (§3, §5), the registry's problem and page sections, the "my details" slots and the
        # guideline's citations are all handed to them here (see approvals/integrations.py).
        from approvals.integrations import connect

        connect()
