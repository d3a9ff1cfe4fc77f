"""Forms of the proposal pages. They validate input; saving is always a call to ``proposal_services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import ChecklistAnswer, PolicyRule, Proposal
from approvals.proposal_services import clash_message, proposable_units, registry_clash
from channels.addresses import InvalidAddress
from channels.models import Person, Platform, Purpose, UpdateRole
from core.validators import single_line


class PersonChoiceField(forms.ModelChoiceField):
    """People in the municipality's service, shown with their unit so namesakes can be told apart."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.active().select_related("unit"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.unit.name})"


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ProposalForm(forms.ModelForm):
    """The proposal itself. A draft may be incomplete; ``submit`` says what is still missing."""

    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("§2 of the guideline: what the channel is used for. Choose one or more."),
    )
    responsible_person = PersonChoiceField(
        label=_("Responsible person"),
        required=False,
        help_text=_("Answers for the channel (vastuuhenkilö). May be one of the maintainers."),
    )
    holiday_cover_person = PersonChoiceField(label=_("Holiday cover"), required=False)

    class Meta:
        model = Proposal
        fields = [
            "unit",
            "platform",
            "name",
            "address",
            "purposes",
            "goals",
            "target_audience",
            "strategy_support",
            "why_new_channel",
            "responsible_person",
            "holiday_cover_person",
            "holiday_cover_arrangement",
            "response_plan",
            "response_time",
        ]
        widgets = {
            "goals": _textarea(),
            "target_audience": _textarea(2),
            "strategy_support": _textarea(),
            "why_new_channel": _textarea(),
            "holiday_cover_arrangement": _textarea(2),
            "response_plan": _textarea(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = proposable_units(user)
        self.fields["unit"].empty_label = None
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True)
        # The model's checks run in the service (see _post_clean); a one-line field's rule is checked here too, so
        # a "\r\nBcc:" in the name is an error on the field, before anything is saved.
        for name in self._meta.fields:
            if single_line in getattr(Proposal._meta.get_field(name), "validators", ()):
                self.fields[name].validators.append(single_line)
        if self.instance.pk:
            self.initial["purposes"] = list(self.instance.purposes)

    def clean(self):
        cleaned = super().clean()
        platform, address = cleaned.get("platform"), (cleaned.get("address") or "").strip()
        if platform and address:
            # Said before submission: an account already in the registry cannot be proposed again.
            try:
                _key, clash = registry_clash(platform, address)
            except InvalidAddress as exc:
                self.add_error("address", exc.message)
            else:
                if clash is not None:
                    self.add_error("address", clash_message(clash))
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service, on the saved proposal; here only the fields'.
        pass


class MaintainerForm(forms.Form):
    person = PersonChoiceField(label=_("Maintainer"), required=False)
    role = forms.ChoiceField(label=_("Role on the platform"), choices=UpdateRole.choices, initial=UpdateRole.EDITOR)
    weekly_hours = forms.DecimalField(
        label=_("Hours a week"), min_value=0, max_value=60, decimal_places=1, max_digits=4, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") and cleaned.get("weekly_hours") is None:
            self.add_error("weekly_hours", _("Give the working time in hours a week (§4)."))
        return cleaned


class BaseMaintainerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                raise forms.ValidationError(
                    _("%(person)s is named twice as a maintainer.") % {"person": person.full_name}
                )
            seen.add(person.pk)

    def maintainers(self):
        """The filled rows as dicts for ``proposal_services``; rows without a person are left out."""
        return [
            {key: form.cleaned_data[key] for key in ("person", "role", "weekly_hours")}
            for form in self.forms
            if form.cleaned_data.get("person")
        ]


MaintainerFormSet = forms.formset_factory(MaintainerForm, formset=BaseMaintainerFormSet, extra=2, max_num=20)


def maintainer_formset(proposal=None, data=None):
    initial = []
    if proposal is not None:
        initial = [
            {"person": m.person, "role": m.role, "weekly_hours": m.weekly_hours}
            for m in proposal.maintainers.select_related("person").order_by("pk")
        ]
    return MaintainerFormSet(data, initial=initial, prefix="maintainers")


class ChecklistForm(forms.Form):
    """The introduction-stage rules a proposer attests: met / not met / not applicable, with a note."""

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = list(PolicyRule.objects.for_proposals())
        existing = {}
        if proposal is not None:
            existing = {a.rule_id: a for a in proposal.checklist_answers.all()}
        for rule in self.rules:
            answer = existing.get(rule.pk)
            self.fields[f"answer_{rule.pk}"] = forms.ChoiceField(
                label=rule.display_title,
                choices=ChecklistAnswer.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                required=False,
                initial=answer.answer if answer else None,
            )
            self.fields[f"note_{rule.pk}"] = forms.CharField(
                label=_("Note"),
                widget=_textarea(2),
                required=False,
                initial=answer.note if answer else "",
                help_text=_("Needed when the rule is not met or does not apply."),
            )

    def clean(self):
        cleaned = super().clean()
        for rule in self.rules:
            answer, note = cleaned.get(f"answer_{rule.pk}"), (cleaned.get(f"note_{rule.pk}") or "").strip()
            if answer in (ChecklistAnswer.NOT_MET, ChecklistAnswer.NOT_APPLICABLE) and not note:
                self.add_error(f"note_{rule.pk}", _("Explain why the rule is not met or does not apply."))
        return cleaned

    def rows(self):
        """(rule, answer field, note field) for the template."""
        return [(rule, self[f"answer_{rule.pk}"], self[f"note_{rule.pk}"]) for rule in self.rules]

    def answers(self):
        return {
            rule.pk: (self.cleaned_data.get(f"answer_{rule.pk}") or "", self.cleaned_data.get(f"note_{rule.pk}") or "")
            for rule in self.rules
        }


class ApproveForm(forms.Form):
    responsible_person = PersonChoiceField(
        label=_("Responsible person"), help_text=_("Confirm the proposed person or name another (§3).")
    )
    goals = forms.CharField(
        label=_("Goals"), widget=_textarea(4), help_text=_("What the service aims for (§3). Confirm or change.")
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=_textarea(3),
        required=False,
        help_text=_("Optional: conditions the channel must meet, e.g. a review after six months."),
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        required=False,
        help_text=_("Optional: the decision's number in the case management system."),
        validators=[single_line],
    )
    confirm = forms.BooleanField(
        label=_("I approve the introduction of this channel. The channel is added to the registry.")
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("responsible_person", proposal.responsible_person)
        self.initial.setdefault("goals", proposal.goals)
        self.fields["decision_reference"].help_text = _(
            "Optional: the decision's number in the case management system. Empty: %(reference)s."
        ) % {"reference": proposal.default_decision_reference}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"),
        widget=_textarea(4),
        help_text=_("The proposer gets this by e-mail and can edit the proposal and submit it again."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), widget=_textarea(4))
    confirm = forms.BooleanField(label=_("I reject this proposal. The decision is final."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), widget=_textarea(3), required=False)
