"""Pages of periodic reviews: my reviews, a channel's review page, the review form.

The channel's responsible person reviews it; the ICT secretary and the municipal manager may read every
review. Everyone else gets 403. Each view finds its object through an access helper and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals import review_services as services
from approvals.compliance import Outcome, evaluate_channel
from approvals.models import ChecklistAnswer, PolicyRule, Review
from approvals.models.proposals import person_of
from approvals.review_forms import NOTE_MAX_LENGTH, ReviewAnswersForm
from channels.models import Channel
from core.access import oversees_all


def _get_channel(request, pk):
    """The channel if the user is its responsible person or reads all reviews; 403 otherwise."""
    channel = get_object_or_404(
        Channel.objects.select_related("platform", "owner_unit", "responsible_person__user"), pk=pk
    )
    if not (services.is_responsible(request.user, channel) or oversees_all(request.user)):
        raise PermissionDenied
    return channel


def _get_review(request, pk):
    review = get_object_or_404(
        Review.objects.select_related(
            "channel__platform", "channel__owner_unit", "channel__responsible_person", "reviewer"
        ),
        pk=pk,
    )
    if not (services.is_responsible(request.user, review.channel) or oversees_all(request.user)):
        raise PermissionDenied
    return review


def review_list(request):
    """The channels the user is responsible for, with their review dates."""
    person = person_of(request.user)
    channels = (
        Channel.objects.in_use()
        .filter(responsible_person=person)
        .select_related("platform")
        .order_by("next_review_on", "name")
        if person is not None
        else Channel.objects.none()
    )
    today = timezone.localdate()
    rows = [{"channel": channel, "overdue": services.is_overdue(channel, today)} for channel in channels]
    return render(request, "approvals/reviews/list.html", {"rows": rows})


def review_channel(request, pk):
    """A channel's review page: its automatic checks, the review in progress and past reviews."""
    channel = _get_channel(request, pk)
    reviews = list(channel.reviews.select_related("reviewer").order_by("-started_at", "-pk"))
    in_progress = next((review for review in reviews if not review.is_submitted), None)
    return render(
        request,
        "approvals/reviews/channel.html",
        {
            "channel": channel,
            "compliance": evaluate_channel(channel),
            "reviews": [review for review in reviews if review.is_submitted],
            "in_progress": in_progress,
            "is_responsible": services.is_responsible(request.user, channel),
            "overdue": services.is_overdue(channel),
        },
    )


@require_POST
def review_start(request, pk):
    channel = _get_channel(request, pk)
    try:
        review = services.start_review(channel, actor=request.user)
    except services.ReviewError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("approvals:review_channel", channel.pk)
    return redirect("approvals:review_detail", review.pk)


def _rows(review, form=None, errors=None):
    """A row for each rule: its answer and note (as stored, or as posted to ``form``) and its errors."""
    answers = {answer.rule_id: answer for answer in review.answers.all()}
    rows = []
    for rule in services.rules_to_answer(review.channel):
        stored = answers.get(rule.pk)
        if form is not None:
            answer, note = form.posted(rule.code)
        else:
            answer, note = (stored.answer, stored.note) if stored else ("", "")
        rows.append(
            {
                "rule": rule,
                "answer": answer,
                "answer_label": dict(ChecklistAnswer.choices).get(answer, ""),
                "note": note,
                "error": (errors or {}).get(rule.code),
            }
        )
    return rows


def _summary_rows(review):
    """The automatic checks as they stood when the review was submitted."""
    titles = {rule.code: rule for rule in PolicyRule.objects.filter(code__in=review.automatic_summary)}
    return [
        {"rule": titles.get(code), "code": code, "outcome": Outcome(value["status"], value.get("message", ""))}
        for code, value in review.automatic_summary.items()
    ]


@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    """The review form (for the responsible person while in progress) or the submitted review."""
    review = _get_review(request, pk)
    editable = not review.is_submitted and services.is_responsible(request.user, review.channel)
    errors = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ReviewAnswersForm(request.POST, review=review)
        try:
            if not form.is_valid():
                raise services.ReviewError(form.errors_by_rule())
            answers = {code: value for code, value in form.answers().items() if value[0] or value[1].strip()}
            services.answer_rules(review, answers, actor=request.user)
            if form.submitting:
                review = services.submit_review(review, actor=request.user)
                messages.success(
                    request,
                    _("Review submitted. The next review is due on %(date)s.")
                    % {"date": review.next_review_on.strftime("%-d.%-m.%Y")},
                )
                return redirect("approvals:review_channel", review.channel_id)
            messages.success(request, _("Answers saved."))
            return redirect("approvals:review_detail", review.pk)
        except services.ReviewError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            if not errors:
                messages.error(request, " ".join(error.messages))
        rows = _rows(review, form, errors)
    else:
        rows = _rows(review)
    return render(
        request,
        "approvals/reviews/detail.html",
        {
            "review": review,
            "channel": review.channel,
            "rows": rows,
            "editable": editable,
            "choices": ChecklistAnswer.choices,
            "has_errors": bool(errors),
            "note_max_length": NOTE_MAX_LENGTH,
            "compliance": evaluate_channel(review.channel) if editable else None,
            "summary": _summary_rows(review) if review.is_submitted else None,
        },
        status=400 if errors else 200,
    )
