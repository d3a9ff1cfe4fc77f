"""Admin for the audit log (read-only), and the read-only base the apps' admins share."""

from django.contrib import admin

from core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the portal's services: the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, read-only: entries are written by the portal and removed only by the purge command."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "result", "ip_address"]
    list_filter = ["action", "result", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
