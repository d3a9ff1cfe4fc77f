"""The site's own pages: home, accessibility statement and feedback, privacy notice.

The guideline's pages are in ``guideline_views``.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST, require_safe

from channels import services as registry_services
from channels.models import Person
from core import organisation, ratelimit
from core.access import require_ict_secretary
from core.forms import add_service_error
from guideline import services as guideline_services
from somegov import services
from somegov.forms import AccessibilityFeedbackForm, FeedbackAnswerForm
from somegov.models import AccessibilityFeedback, FeedbackStatus

logger = logging.getLogger(__name__)
FEEDBACK_PER_PAGE = 25


def _language():
    """The visitor's interface language, one of ``settings.LANGUAGES``."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _legal_text(name):
    """The legal text ``name`` in the visitor's language, or in Finnish when it has not been written in that
    language yet (the legal texts are written as a whole, Finnish first): the template's name and its language."""
    language = _language()
    found = select_template([f"somegov/legal/{name}_{language}.html", f"somegov/legal/{name}_fi.html"]).template.name
    return {"legal_template": found, "legal_language": found.removesuffix(".html").rsplit("_", 1)[-1]}


@login_not_required
def set_language(request):
    """The language switcher: Django's ``set_language``, and for a logged-in user with a person in the registry
    the choice is also kept as the person's preferred language, which the portal's e-mails to them follow (one
    choice for the pages and the e-mails; the ICT secretary can also set it in the administration).

    An unknown language is refused with a message and changes nothing (Django's view would set a cookie for any
    language Django itself has translations for).
    """
    language = request.POST.get("language") if request.method == "POST" else None
    if language is not None and language not in dict(settings.LANGUAGES):
        messages.error(
            request,
            _("Unknown language “%(language)s”. Choose one of: %(choices)s.")
            % {"language": language[:20], "choices": ", ".join(str(name) for _code, name in settings.LANGUAGES)},
        )
        next_url = request.POST.get("next")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = "/"
        return HttpResponseRedirect(next_url)
    response = i18n.set_language(request)
    if language and request.user.is_authenticated:
        person = Person.objects.filter(user=request.user).first()
        if person is not None:
            registry_services.set_preferred_language(person, language, actor=request.user)
    return response


@login_not_required
def home(request):
    # First run: a superuser on an install whose organisation is not saved yet gets the set-up steps.
    if request.user.is_superuser and request.user.is_active and not organisation.current().saved:
        return redirect("first_run")
    return render(
        request, "somegov/home.html", {"pending_guideline": guideline_services.pending_acknowledgement(request.user)}
    )


@login_not_required
def accessibility(request):
    return render(
        request,
        "somegov/accessibility.html",
        {
            **_legal_text("accessibility"),
            "prepared_on": settings.ACCESSIBILITY_STATEMENT_PREPARED_ON,
            "reviewed_on": settings.ACCESSIBILITY_STATEMENT_REVIEWED_ON,
            "contact_email": organisation.current().accessibility_email,
            "site_url": settings.SITE_URL,
        },
    )


@login_not_required
def privacy(request):
    return render(
        request,
        "somegov/privacy.html",
        {
            **_legal_text("privacy"),
            "updated_on": settings.PRIVACY_NOTICE_UPDATED_ON,
            "controller_email": organisation.current().registry_office_email,
            "dpo_email": organisation.current().dpo_email,
            "contact_email": organisation.current().accessibility_email,
            "left_staff_years": settings.RETENTION_LEFT_STAFF_YEARS,
            # The period purge_audit_log applies, in whole years where it is some.
            "log_days": settings.AUDIT_RETENTION_DAYS,
            "log_years": settings.AUDIT_RETENTION_DAYS // 365 if settings.AUDIT_RETENTION_DAYS % 365 == 0 else None,
            "feedback_years": settings.RETENTION_FEEDBACK_YEARS,
        },
    )


# --- Accessibility feedback ----------------------------------------------------------------------------
# The form is public (no login). Abuse is kept down with length limits, a honeypot field, CSRF and a limit of
# FEEDBACK_RATE_LIMIT sendings per client address per FEEDBACK_RATE_LIMIT_WINDOW seconds.


def _feedback_limited(request):
    """Seconds until this client may send feedback again, or None when it may now (and the sending counts)."""
    return ratelimit.take_slot(request, "feedback", settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_LIMIT_WINDOW)


def _wait_text(seconds):
    minutes = max(1, -(-seconds // 60))
    email = organisation.current().accessibility_email
    if not email:
        return ngettext(
            "You have sent a lot of feedback in a short time. Your message was not sent; wait %(minutes)s minute "
            "and send it again.",
            "You have sent a lot of feedback in a short time. Your message was not sent; wait %(minutes)s minutes "
            "and send it again.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "You have sent a lot of feedback in a short time. Your message was not sent; wait %(minutes)s minute "
        "and send it again, or e-mail it to %(email)s.",
        "You have sent a lot of feedback in a short time. Your message was not sent; wait %(minutes)s minutes "
        "and send it again, or e-mail it to %(email)s.",
        minutes,
    ) % {"minutes": minutes, "email": email}


@login_not_required
def accessibility_feedback(request):
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid() and form.is_spam():
            # Answer a robot as if it had succeeded, so it learns nothing; store and send nothing. It takes no
            # slot of the rate limit either: a robot behind the same address (a library's network, say) must
            # not use up the quota of the real visitors there.
            logger.info("accessibility feedback dropped: honeypot field filled")
            return redirect("accessibility_feedback_thanks")
        if form.is_valid() and (retry_after := _feedback_limited(request)) is not None:
            # The visitor keeps what they wrote; nothing is stored or sent.
            form.add_error(None, _wait_text(retry_after))
            response = render(request, "somegov/feedback/form.html", {"form": form}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            data = form.cleaned_data
            services.submit_feedback(
                message=data["message"],
                name=data["name"],
                email=data["email"],
                page_url=data["page_url"],
                language=_language(),
            )
            return redirect("accessibility_feedback_thanks")
    else:
        form = AccessibilityFeedbackForm(initial={"page_url": request.GET.get("page", "")[:500]})
    return render(request, "somegov/feedback/form.html", {"form": form})


@login_not_required
def accessibility_feedback_thanks(request):
    return render(request, "somegov/feedback/thanks.html")


FEEDBACK_FILTERS = {
    "open": lambda qs, today: qs.open(),
    "overdue": lambda qs, today: qs.overdue(today),
    "answered": lambda qs, today: qs.answered(),
    "all": lambda qs, today: qs,
}


def accessibility_feedback_list(request):
    require_ict_secretary(request.user)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in FEEDBACK_FILTERS:
        show = "open"
    feedback = FEEDBACK_FILTERS[show](AccessibilityFeedback.objects.select_related("answered_by"), today)
    counts = AccessibilityFeedback.objects.aggregate(
        open=Count("pk", filter=Q(status=FeedbackStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=FeedbackStatus.OPEN, due_on__lt=today)),
        answered=Count("pk", filter=Q(status=FeedbackStatus.ANSWERED)),
        all=Count("pk"),
    )
    order = ["due_on", "received_at", "pk"] if show in {"open", "overdue"} else ["-received_at", "-pk"]
    page = Paginator(feedback.order_by(*order), FEEDBACK_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "somegov/feedback/list.html",
        {"page": page, "show": show, "counts": counts, "today": today},
    )


@require_safe
def accessibility_feedback_detail(request, pk):
    require_ict_secretary(request.user)
    feedback = get_object_or_404(AccessibilityFeedback.objects.select_related("answered_by"), pk=pk)
    form = FeedbackAnswerForm(initial={"answered_on": timezone.localdate()}, feedback=feedback)
    return render(
        request,
        "somegov/feedback/detail.html",
        {"feedback": feedback, "form": form, "today": timezone.localdate()},
    )


@require_POST
def accessibility_feedback_answer(request, pk):
    actor = require_ict_secretary(request.user)
    feedback = get_object_or_404(AccessibilityFeedback, pk=pk)
    form = FeedbackAnswerForm(request.POST, feedback=feedback)
    if form.is_valid():
        try:
            services.mark_feedback_answered(
                actor, feedback, answered_on=form.cleaned_data["answered_on"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The feedback was marked answered."))
            return redirect("accessibility_feedback_list")
    return render(
        request,
        "somegov/feedback/detail.html",
        {"feedback": feedback, "form": form, "today": timezone.localdate()},
    )
