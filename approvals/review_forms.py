"""The review form: one answer and one note for each rule the review asks. Every posted value goes through
this form (lengths, choices, no NUL characters); ``approvals.review_services.answer_rules`` then checks the
answers as a whole (a note where the rule is not met)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals import review_services as services
from approvals.models import ChecklistAnswer

NOTE_MAX_LENGTH = 2000


class ReviewAnswersForm(forms.Form):
    """Fields ``answer-<rule code>`` and ``note-<rule code>`` for each rule of the review's channel."""

    def __init__(self, data=None, *, review, **kwargs):
        super().__init__(data, **kwargs)
        self.rules = list(services.rules_to_answer(review.channel))
        for rule in self.rules:
            self.fields[f"answer-{rule.code}"] = forms.ChoiceField(
                label=rule.display_title, choices=[("", "–"), *ChecklistAnswer.choices], required=False
            )
            self.fields[f"note-{rule.code}"] = forms.CharField(
                label=_("Note"),
                max_length=NOTE_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("At most %(limit)s characters.") % {"limit": NOTE_MAX_LENGTH},
            )

    @property
    def submitting(self):
        """The "Submit the review" button was pressed (rather than "Save answers")."""
        return self.data is not None and "submit" in self.data

    def answers(self):
        """``{rule code: (answer, note)}`` of the rules given an answer or a note, for ``answer_rules``."""
        answers = {}
        for rule in self.rules:
            answer = self.cleaned_data.get(f"answer-{rule.code}", "")
            note = self.cleaned_data.get(f"note-{rule.code}", "")
            if answer or note:
                answers[rule.code] = (answer, note)
        return answers

    def errors_by_rule(self):
        """``{rule code: [messages]}`` of the fields refused, for the page's rows."""
        errors = {}
        for rule in self.rules:
            for name in (f"answer-{rule.code}", f"note-{rule.code}"):
                errors.setdefault(rule.code, []).extend(str(message) for message in self.errors.get(name, []))
        return {code: messages for code, messages in errors.items() if messages}

    def posted(self, code):
        """What the person posted for a rule, to show again (cut to the limits)."""
        answer = self.data.get(f"answer-{code}", "") if self.data is not None else ""
        note = self.data.get(f"note-{code}", "") if self.data is not None else ""
        return (answer if answer in ChecklistAnswer.values else ""), note[:NOTE_MAX_LENGTH].replace("\x00", "")
