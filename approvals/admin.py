"""Admin for governance models (proposals, decisions, authorisations, rules) as they are added."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from approvals.models import (
    Authorisation,
    PolicyRule,
    Proposal,
    ProposalChecklistAnswer,
    ProposalEvent,
    ProposalMaintainer,
    ReminderSent,
    Review,
    ReviewAnswer,
)


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


# --- Channel proposals and the policy checklist ----------------------------------------------------------
# Proposals are read-only here: every change of state goes through approvals.proposal_services (the
# portal's proposal pages, or the decide_proposal command), so no path skips its checks and e-mail.


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalMaintainerInline(_ReadOnlyInline):
    model = ProposalMaintainer
    fields = ["person", "role", "weekly_hours"]


class ProposalChecklistAnswerInline(_ReadOnlyInline):
    model = ProposalChecklistAnswer
    fields = ["rule", "answer", "note"]


class ProposalEventInline(_ReadOnlyInline):
    model = ProposalEvent
    fields = ["at", "kind", "actor_name", "comment"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["name", "platform", "unit", "proposer", "status", "submitted_at", "decided_by", "channel"]
    list_filter = ["status", "platform", "unit"]
    search_fields = ["name", "address", "proposer__first_name", "proposer__last_name", "unit__name"]
    list_select_related = ["platform", "unit", "proposer", "decided_by", "channel"]
    date_hierarchy = "submitted_at"
    inlines = [ProposalMaintainerInline, ProposalChecklistAnswerInline, ProposalEventInline]
    readonly_fields = ["portal_link"]

    @admin.display(description=_("in the portal"))
    def portal_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("approvals:proposal_detail", args=[obj.pk]), _("Open the proposal page")
        )

    def get_fields(self, request, obj=None):
        return ["portal_link", *[f.name for f in Proposal._meta.fields if f.name != "id"]]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyRule)
class PolicyRuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "citation", "stage", "kind", "is_good_practice", "is_active", "position"]
    list_filter = ["stage", "kind", "is_good_practice", "is_active"]
    search_fields = ["code", "title", "title_en", "explanation", "source"]
    # Switching a rule off or retiring it needs a reason: that is done on the portal's rule pages (/saannot/).
    list_editable = ["position"]
    fieldsets = [
        (None, {"fields": ["code", "title", "title_en", "explanation", "explanation_en"]}),
        (_("Source"), {"fields": ["is_good_practice", "sections", "source", "source_en"]}),
        (
            _("Checking"),
            {"fields": ["stage", "kind", "automatic_check", "platforms", "is_active", "disabled_reason", "position"]},
        ),
    ]

    @admin.display(description=_("source"))
    def citation(self, obj):
        return obj.citation

    def get_readonly_fields(self, request, obj=None):
        # The code names the rule in answers and in code; it is fixed once the rule exists. Whether it is in use,
        # and why not, changes only with a reason, on the portal's rule pages.
        return ["code", "is_active", "disabled_reason"] if obj else ["is_active", "disabled_reason"]

    def has_delete_permission(self, request, obj=None):
        return False  # answers refer to rules: a rule that no longer applies is made inactive


class ReviewAnswerInline(admin.TabularInline):
    model = ReviewAnswer
    fields = ["rule", "answer", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    """Read-only: reviews are made on the review pages (approvals.review_services); submitted ones never change."""

    list_display = ["channel", "reviewer", "status", "result", "started_at", "submitted_on", "next_review_on"]
    list_filter = ["status", "result"]
    list_select_related = ["channel", "reviewer"]
    search_fields = ["channel__name"]
    inlines = [ReviewAnswerInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "recipient", "kind", "object_key"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient", "object_key"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
