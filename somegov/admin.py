"""Admin for the site's own data: read-only views. The guideline is edited and published in the portal's
own pages (drafts, preview, changes, publish), where the services keep published versions immutable."""

from django.contrib import admin

from somegov.models import (
    AccessibilityFeedback,
    AuditEvent,
    GuidelineAcknowledgement,
    GuidelineSection,
    GuidelineVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuidelineSectionInline(admin.TabularInline):
    model = GuidelineSection
    fields = ["order", "number", "slug", "title", "updated_at", "updated_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "language", "status", "is_translation", "approved_on", "published_at", "published_by"]
    list_filter = ["status", "language", "is_translation"]
    list_select_related = ["published_by"]
    inlines = [GuidelineSectionInline]


@admin.register(GuidelineAcknowledgement)
class GuidelineAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = ["version"]
    list_select_related = ["user", "version"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "due_on", "status", "answered_on", "name", "email"]
    list_filter = ["status"]
    date_hierarchy = "received_at"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: entries are written by the portal and removed only by the purge command."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "result", "ip_address"]
    list_filter = ["action", "result", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
