"""Admin for governance models (proposals, decisions, authorisations, rules) as they are added."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from approvals.models import Authorisation


@admin.register(Authorisation)
class AuthorisationAdmin(SimpleHistoryAdmin):
    """Read-only in the admin, with its history: authorisations are granted, extended and revoked on
    the portal's pages (my team; the ICT secretary's work list), which call the services and check
    the supervisor line. Nothing is deleted."""

    list_display = ["person", "granted_by", "scope", "valid_from", "valid_until", "state_display", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "granted_by__last_name", "decision_reference"]
    list_select_related = ["person", "granted_by"]
    date_hierarchy = "valid_from"
    readonly_fields = [
        "person",
        "granted_by",
        "scope",
        "channels",
        "valid_from",
        "valid_until",
        "conditions",
        "decision_reference",
        "recorded_by",
        "recorded_at",
        "revoked_by",
        "revoked_at",
        "revoke_reason",
    ]

    @admin.display(description=_("state today"))
    def state_display(self, obj):
        return obj.state().label

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
