"""Admin for the site's own data: the accessibility feedback, read-only (answered in the portal's own pages)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from somegov.models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "due_on", "status", "answered_on", "name", "email"]
    list_filter = ["status"]
    date_hierarchy = "received_at"
