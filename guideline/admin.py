"""Admin for the guideline: read-only views. The guideline is edited and published in the portal's own pages
(drafts, preview, changes, publish), where the services keep published versions immutable."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from guideline.models import GuidelineAcknowledgement, GuidelineSection, GuidelineVersion


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
    list_display = [
        "__str__",
        "language",
        "status",
        "is_translation",
        "standing",
        "approved_on",
        "published_at",
        "published_by",
    ]
    list_filter = ["status", "language", "is_translation", "standing"]
    list_select_related = ["published_by"]
    inlines = [GuidelineSectionInline]


@admin.register(GuidelineAcknowledgement)
class GuidelineAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = ["version"]
    list_select_related = ["user", "version"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
