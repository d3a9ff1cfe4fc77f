from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from channels.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "head"]
    list_select_related = ["parent", "head"]


class LeftFilter(admin.SimpleListFilter):
    title = _("employment")
    parameter_name = "employment"

    def lookups(self, request, model_admin):
        return [("active", _("In service")), ("left", _("Left"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "left":
            return queryset.left()
        return queryset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "title", "unit", "supervisor", "work_email", "commitment_signed_on", "left_on"]
    list_filter = [LeftFilter, "unit"]
    search_fields = ["first_name", "last_name", "title", "work_email"]
    autocomplete_fields = ["unit", "supervisor", "user"]
    list_select_related = ["unit", "supervisor"]
    date_hierarchy = "commitment_signed_on"
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "title", "unit", "supervisor"]}),
        (_("Work contact details"), {"fields": ["work_email", "work_phone"]}),
        (_("Login"), {"fields": ["user"]}),
        (_("Dates"), {"fields": ["started_on", "left_on", "commitment_signed_on"]}),
    ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name
