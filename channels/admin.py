"""The registry in Django's admin: complete, but every state change still goes through channels.services.

Nothing with history is deleted here (no delete permission): channels are retired, rights revoked, people
marked as having left, units and platforms marked as not in use. Status changes and revocations are admin
actions that ask for a reason on an intermediate page and call the same service as the portal.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from channels import services
from channels.models import Channel, ChannelStatus, Person, Platform, Purpose, Unit, UpdateRight
from core import audit
from core.forms import ReasonForm
from core.models import AuditAction


class NoDeleteMixin:
    """Nothing with history is hard-deleted (channels are retired, rights revoked, people marked as left), and
    history is read, not reverted: reverting to an old version would write past the services' checks (a status,
    a revoked right), so it is switched off."""

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _reason_action(modeladmin, request, queryset, *, title, apply, description):
    """An admin action that asks for a reason first, then applies ``apply(obj, reason)`` to each object."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data["reason"])
            except ValidationError as exc:
                modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, _("Done for %(count)s.") % {"count": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "description": description,
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "opts": modeladmin.model._meta,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "admin/channels/reason_action.html", context)


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "head"]
    list_select_related = ["parent", "head"]


class LeftFilter(admin.SimpleListFilter):
    title = _("employment")
    parameter_name = "employment"

    def lookups(self, request, model_admin):
        return [("active", _("In service")), ("left", _("Left")), ("anonymised", _("Anonymised"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "left":
            return queryset.left()
        if self.value() == "anonymised":
            return queryset.anonymised()
        return queryset


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "title",
        "unit",
        "supervisor",
        "work_email",
        "commitment_signed_on",
        "left_on",
        "anonymised_on",
    ]
    list_filter = [LeftFilter, "unit", "preferred_language"]
    search_fields = ["first_name", "last_name", "title", "work_email"]
    autocomplete_fields = ["unit", "supervisor", "user"]
    list_select_related = ["unit", "supervisor"]
    date_hierarchy = "commitment_signed_on"
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "title", "unit", "supervisor"]}),
        (_("Work contact details"), {"fields": ["work_email", "work_phone", "preferred_language"]}),
        (_("Login"), {"fields": ["user"]}),
        (_("Dates"), {"fields": ["started_on", "left_on", "commitment_signed_on", "anonymised_on"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only purge_personal_data anonymises (somegov.retention); an anonymised entry is not filled in again.
        if obj is not None and obj.is_anonymised:
            return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]
        return ["anonymised_on"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change page shows the person's details: a view of personal data, logged as the portal's person
        # page is (906/2019 §17). Saving is in the model's history; the log records the reading.
        response = super().change_view(request, object_id, form_url, extra_context)
        person = getattr(response, "context_data", {}).get("original") if request.method == "GET" else None
        if person is not None and person.user_id != request.user.pk:
            audit.record(request, AuditAction.VIEW_PERSON, person, detail="administration")
        return response


@admin.register(Platform)
class PlatformAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "slug", "kind", "address_style", "review_interval_months", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]


class CurrentRightInline(admin.TabularInline):
    """Current rights: role and hours can be corrected; new rights are granted in the portal (grant_right checks
    them), and a right is ended with the "revoke" action of the update rights list, never deleted."""

    model = UpdateRight
    verbose_name = _("current update right")
    verbose_name_plural = _("current update rights")
    fields = ["person", "role", "weekly_hours", "granted_by", "granted_at"]
    readonly_fields = ["person", "granted_by", "granted_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).current().select_related("person", "granted_by")

    def has_add_permission(self, request, obj=None):
        return False


class RevokedRightInline(admin.TabularInline):
    model = UpdateRight
    verbose_name = _("revoked update right")
    verbose_name_plural = _("revoked update rights")
    fields = ["person", "role", "weekly_hours", "granted_at", "revoked_by", "revoked_at", "revoke_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).revoked().select_related("person", "revoked_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProblemFilter(admin.SimpleListFilter):
    title = _("problems")
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        from channels.problems import kind_choices

        return [("any", _("With problems")), ("none", _("Without problems")), *kind_choices()]

    def queryset(self, request, queryset):
        from channels.problems import kind_by_code

        value = self.value()
        if value == "any":
            return queryset.filter(has_problems=True)
        if value == "none":
            return queryset.filter(has_problems=False)
        kind = kind_by_code(value) if value else None
        return queryset.filter(**{kind.annotation: True}) if kind else queryset


def _status_action(name, target, label):
    def action(modeladmin, request, queryset):
        return _reason_action(
            modeladmin,
            request,
            queryset,
            title=label,
            description=_("The status changes to “%(status)s” for the channels below.") % {"status": target.label},
            apply=lambda channel, reason: services.change_status(channel, target, actor=request.user, reason=reason),
        )

    action.__name__ = name
    return admin.action(description=label)(action)


class ChannelAdminForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    # No Meta: the admin builds the form's Meta from the fieldsets.


@admin.register(Channel)
class ChannelAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = ChannelAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "platform", "address", "owner_unit", "responsible_person", "status", "next_review_on",
                    "problem_summary"]  # fmt: skip
    list_filter = [ProblemFilter, "status", "platform", "owner_unit"]
    search_fields = ["name", "address", "normalised_address", "responsible_person__first_name",
                     "responsible_person__last_name"]  # fmt: skip
    autocomplete_fields = ["owner_unit", "responsible_person", "decided_by", "holiday_cover_person"]
    list_select_related = ["platform", "owner_unit", "responsible_person"]
    readonly_fields = ["status", "status_changed_at", "official_since", "retired_on", "normalised_address",
                       "created_at", "updated_at"]  # fmt: skip
    date_hierarchy = "next_review_on"
    inlines = [CurrentRightInline, RevokedRightInline]
    actions = [
        _status_action("activate", ChannelStatus.ACTIVE, _("Activate or reactivate the selected channels")),
        _status_action("pause", ChannelStatus.PAUSED, _("Pause the selected channels")),
        _status_action("retire", ChannelStatus.RETIRED, _("Retire the selected channels")),
    ]
    fieldsets = [
        (None, {"fields": ["platform", "name", "address", "normalised_address", "owner_unit"]}),
        (_("Status"), {"fields": ["status", "status_changed_at", "official_since", "retired_on"]}),
        (_("Purpose and goals (§2, §3)"), {"fields": ["purposes", "goals", "target_audience"]}),
        (_("Responsibility and decision (§3)"),
         {"fields": ["responsible_person", "decided_by", "decided_on", "decision_reference"]}),
        (_("Maintenance (§4)"), {"fields": ["website_link_url", "holiday_cover_person", "holiday_cover_arrangement",
                                            "last_reviewed_on", "next_review_on", "review_interval_months"]}),
        (_("Account security (good practice, NCSC-FI)"),
         {"fields": ["two_factor_method", "recovery_email_is_organisational", "recovery_phone_is_organisational",
                     "credentials_location", "content_exported_on", "crisis_role"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).with_problems()

    @admin.display(description=_("problems"), boolean=False)
    def problem_summary(self, obj):
        problems = obj.problems()
        return ", ".join(str(p) for p in problems) if problems else "–"

    def view_on_site(self, obj):
        return reverse("channels:channel_detail", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        # The same services as the portal: a new channel is created as proposed (the status actions move it on).
        if change:
            services.update_channel(obj, actor=request.user)
        else:
            services.create_channel(obj, actor=request.user, reason=str(_("Added in the administration")))

    def save_formset(self, request, form, formset, change):
        # The current rights inline corrects role and working time through the service; it adds and deletes
        # nothing (grants are checked by grant_right on the channel page, rights are revoked, not deleted).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk and inline_form.has_changed():
                data = inline_form.cleaned_data
                right = services.change_right(
                    inline_form.instance, role=data["role"], weekly_hours=data["weekly_hours"], actor=request.user
                )
                formset.changed_objects.append((right, inline_form.changed_data))


class CurrentFilter(admin.SimpleListFilter):
    title = _("current or revoked")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("revoked", _("Revoked")), ("leavers", _("Held by a person who has left"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "revoked":
            return queryset.revoked()
        if self.value() == "leavers":
            return queryset.held_by_leavers()
        return queryset


@admin.register(UpdateRight)
class UpdateRightAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["person", "channel", "role", "weekly_hours", "granted_at", "revoked_at", "state"]
    list_filter = [CurrentFilter, "role", "channel__platform"]
    search_fields = ["person__first_name", "person__last_name", "channel__name", "channel__address"]
    list_select_related = ["person", "channel", "channel__platform"]
    readonly_fields = ["person", "channel", "granted_by", "granted_at", "revoked_by", "revoked_at", "revoke_reason"]
    fields = ["person", "channel", "role", "weekly_hours", *readonly_fields[2:]]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # grant_right checks the person, the channel and the authorisation: grants are made on the channel page.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.is_current:
            return format_html("<strong>{}</strong>", _("current"))
        return _("revoked")

    def view_on_site(self, obj):
        return reverse("channels:channel_detail", args=[obj.channel_id])

    def save_model(self, request, obj, form, change):
        services.change_right(obj, role=obj.role, weekly_hours=obj.weekly_hours, actor=request.user)

    @admin.action(description=_("Revoke the selected update rights"))
    def revoke(self, request, queryset):
        return _reason_action(
            self,
            request,
            queryset.select_related("person", "channel"),
            title=_("Revoke update rights"),
            description=_("The rights below will be revoked. They stay in the registry as history."),
            apply=lambda right, reason: services.revoke_right(right, actor=request.user, reason=reason),
        )
