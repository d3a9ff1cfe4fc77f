"""Forms for authorisations (the form for granting an update right is the registry's, ``channels.forms``).

Forms only validate input; the rules live in ``approvals.authorisation_services`` (and
``channels.services``), which the views call.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.authorisation_services import channels_for_matrix
from approvals.models.authorisations import AuthorisationScope, channel_label
from channels.models import Person
from core.forms import DateInput, ModelChoicesField
from core.validators import single_line


class ChannelChoiceField(ModelChoicesField):
    def label_from_instance(self, obj):
        return channel_label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}, {obj.title}" if obj.title else obj.full_name


class AuthorisationForm(forms.Form):
    """A supervisor's authorisation; the ICT secretary also names the supervisor and the written decision."""

    scope = forms.ChoiceField(
        label=_("Scope"), choices=AuthorisationScope.choices, widget=forms.RadioSelect, initial="all"
    )
    channels = ChannelChoiceField(
        label=_("Channels"),
        queryset=channels_for_matrix(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the scope is named channels."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day of validity. Leave empty for an authorisation that is valid until revoked."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. which tasks or topics the authorisation covers."),
    )

    def __init__(self, *args, person, recording=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recording = recording
        self.fields["valid_from"].initial = timezone.localdate()
        if recording:
            above, boss, seen = [], person.supervisor, set()
            while boss is not None and boss.pk not in seen:
                above.append(boss.pk)
                seen.add(boss.pk)
                boss = boss.supervisor
            self.fields["granted_by"] = PersonChoiceField(
                label=_("Authorised by (supervisor)"),
                queryset=Person.objects.active().filter(pk__in=above),
                help_text=_("The supervisor whose written decision you are recording."),
            )
            self.fields["decision_reference"] = forms.CharField(
                label=_("Written decision"),
                max_length=200,
                help_text=_("E.g. “e-mail 3.2.2026” or the document's number."),
                validators=[single_line],
            )
            self.order_fields(["granted_by", "decision_reference"])

    def clean(self):
        data = super().clean()
        if data.get("scope") == AuthorisationScope.NAMED_CHANNELS and not data.get("channels"):
            self.add_error("channels", _("Choose the channels the authorisation covers."))
        if data.get("scope") == AuthorisationScope.ALL_CHANNELS:
            data["channels"] = []
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The last day of validity cannot be before the first."))
        return data


class ExtendAuthorisationForm(forms.Form):
    valid_until = forms.DateField(
        label=_("New last day of validity"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to make the authorisation valid until revoked."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history. The ICT secretary names the supervisor's written decision here."),
    )
