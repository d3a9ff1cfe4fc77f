"""Forms of the registry views. Validation of a channel lives in the model (``Channel.clean``); state changes go
through ``channels.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.forms.utils import flatatt
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from channels import problems
from channels.models import Channel, ChannelStatus, Person, Platform, Purpose, Unit, UpdateRole


class LongSelect(forms.Select):
    """A select that writes its options in Python: Django's own renders a template per option, which costs
    tens of milliseconds for the hundreds of units of a large organisation. No option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), mark_safe(" selected") if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(widget["attrs"]), options)


class PersonChoiceField(forms.ModelChoiceField):
    """People by name and unit; those who have left are marked, so that choosing one is a conscious act."""

    def label_from_instance(self, person):
        label = f"{person.full_name} ({person.unit})"
        if person.has_left():
            label += " – " + str(_("left %(date)s") % {"date": date_format(person.left_on, "SHORT_DATE_FORMAT")})
        return label


def _people():
    return Person.objects.select_related("unit")


class ChannelForm(forms.ModelForm):
    """A channel's details. Its status is set when it is added; after that only the status actions change it."""

    status = forms.ChoiceField(
        label=_("Status when added"),
        choices=[
            (ChannelStatus.PROPOSED, _("Proposed: waiting for a decision")),
            (ChannelStatus.APPROVED, _("Approved: decided, not yet in use")),
            (ChannelStatus.ACTIVE, _("Active: already in use")),
        ],
        initial=ChannelStatus.ACTIVE,
        help_text=_("An active channel gets its first review date from the platform's review interval."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The purposes of §2 of the guideline that the channel serves."),
    )
    responsible_person = PersonChoiceField(queryset=_people(), required=False, label=_("Responsible person"))
    decided_by = PersonChoiceField(queryset=_people(), required=False, label=_("Decided by"))
    holiday_cover_person = PersonChoiceField(queryset=_people(), required=False, label=_("Holiday cover"))
    website_link_url = forms.URLField(
        label=_("Linked from the municipal website at"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("§4: the page of the municipal website that links to this channel."),
    )

    class Meta:
        model = Channel
        fields = [
            "platform",
            "name",
            "address",
            "owner_unit",
            "purposes",
            "goals",
            "target_audience",
            "responsible_person",
            "decided_by",
            "decided_on",
            "decision_reference",
            "website_link_url",
            "holiday_cover_person",
            "holiday_cover_arrangement",
            "last_reviewed_on",
            "next_review_on",
            "review_interval_months",
            "two_factor_method",
            "recovery_email_is_organisational",
            "recovery_phone_is_organisational",
            "credentials_location",
            "content_exported_on",
            "crisis_role",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "holiday_cover_arrangement": forms.Textarea(attrs={"rows": 2}),
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "content_exported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True) | Platform.objects.filter(
            pk=self.instance.platform_id
        )
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True) | Unit.objects.filter(
            pk=self.instance.owner_unit_id
        )
        self.fields["address"].help_text = _(
            "Paste the address from the browser, e.g. https://www.facebook.com/esimerkkila, or give a handle "
            "(@esimerkkila) on services that have them. It is stored as typed and compared normalised."
        )
        adding = self.instance.pk is None
        if not adding:
            del self.fields["status"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("The channel"),
                "platform",
                "name",
                "address",
                "owner_unit",
                *(["status"] if adding else []),
            ),
            Fieldset(_("Purpose and goals (§2, §3)"), "purposes", "goals", "target_audience"),
            Fieldset(
                _("Responsibility and decision (§3)"),
                "responsible_person",
                "decided_by",
                "decided_on",
                "decision_reference",
            ),
            Fieldset(
                _("Maintenance (§4)"),
                "website_link_url",
                "holiday_cover_person",
                "holiday_cover_arrangement",
                "last_reviewed_on",
                "next_review_on",
                "review_interval_months",
            ),
            Fieldset(
                _("Account security (good practice, NCSC-FI)"),
                "two_factor_method",
                "recovery_email_is_organisational",
                "recovery_phone_is_organisational",
                "credentials_location",
                "content_exported_on",
                "crisis_role",
            ),
        )

    def _post_clean(self):
        # The model validates the status-dependent rules (an active channel needs its address), so it must see
        # the status chosen when adding before Channel.clean() runs.
        if "status" in self.fields and self.cleaned_data.get("status"):
            self.instance.status = self.cleaned_data["status"]
        super()._post_clean()


class GrantRightForm(forms.Form):
    """An update right for a person on a channel (``channels.services.grant_right``), on the registry's and the
    governance pages alike. Only people in service are offered: never one who has left, nor an anonymised one."""

    person = PersonChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(label=_("Role on the platform"), choices=UpdateRole.choices)
    weekly_hours = forms.DecimalField(
        label=_("Working time (hours a week)"),
        min_value=0,
        max_value=60,
        max_digits=4,
        decimal_places=1,
        help_text=_("§4: how much working time the person uses on the channel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per form: who is in service depends on today's date.
        in_service = Person.objects.active().filter(anonymised_on__isnull=True)
        self.fields["person"].queryset = in_service.select_related("unit")
        self.helper = FormHelper()
        self.helper.form_tag = False


SORTS = {
    "name": ("name", "pk"),
    "platform": ("platform__name", "name", "pk"),
    "unit": ("owner_unit__name", "name", "pk"),
    "status": ("status", "name", "pk"),
    "responsible": ("responsible_person__last_name", "responsible_person__first_name", "name", "pk"),
    "review": ("next_review_on", "name", "pk"),
}


RESPONSIBLE_CHOICES_LIMIT = 300


class RegistryFilterForm(forms.Form):
    """The registry list's search, filters and sort; a GET form, so a filtered list has a URL to share."""

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, address or person."))
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("All"), to_field_name="slug"
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All"), widget=LongSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ChannelStatus.choices], required=False)
    responsible = PersonChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none(), required=False, empty_label=_("Anyone")
    )
    problems = forms.ChoiceField(label=_("Problems"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who are responsible for a channel: the list stays short and every choice finds something.
        # A large registry has thousands of them: a list that long is neither usable nor cheap to render, so the
        # field then becomes hidden (a link such as ?responsible=<id> still filters) and the search box, which
        # matches people's names, takes its place. The one query fetches the choices too.
        field = self.fields["responsible"]
        field.queryset = Person.objects.filter(responsible_for__isnull=False).distinct().select_related("unit")
        people = list(field.queryset[: RESPONSIBLE_CHOICES_LIMIT + 1])
        if len(people) > RESPONSIBLE_CHOICES_LIMIT:
            field.widget = forms.HiddenInput()
            field.choices = []
        else:
            field.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in people)]
        self.fields["problems"].choices = [
            ("", _("All channels")),
            ("any", _("With problems")),
            ("none", _("Without problems")),
            *problems.kind_choices(),
        ]
        self.fields["sort"].choices = [(key, key) for key in SORTS] + [(f"-{key}", key) for key in SORTS]
