"""Self-service password reset by e-mail: Django's views with the portal's templates and a rate limit.

The pages never tell whether an address belongs to a login: the request page always goes on to the same "check
your e-mail" page, and the work done for either answer is the same code path (Django's ``PasswordResetForm``
sends a link only to active logins that have the address and a usable password). Requests are counted per
client and per address asked about (``PASSWORD_RESET_RATE_LIMIT`` per ``PASSWORD_RESET_RATE_LIMIT_WINDOW``);
past the limit the page answers 429 and sends nothing. The link in the e-mail is built on ``SITE_URL``, never
on the request's Host header. A login created by the identity provider (``OIDC_ENABLED``) has no usable
password, so it gets no link: the page tells such people to log in with the municipality's account.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext

from core import ratelimit


def _wait_text(seconds):
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "You have asked for a new password many times in a short time. Nothing was sent; wait %(minutes)s "
        "minute and try again.",
        "You have asked for a new password many times in a short time. Nothing was sent; wait %(minutes)s "
        "minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}

    def _limited(self, email):
        """Count this request per client and per address; the seconds to wait when either is over the limit."""
        limit, window = settings.PASSWORD_RESET_RATE_LIMIT, settings.PASSWORD_RESET_RATE_LIMIT_WINDOW
        waits = [
            ratelimit.take_slot(self.request, "password-reset", limit, window),
            ratelimit.take_slot(self.request, "password-reset-address", limit, window, subject=email.casefold()),
        ]
        return max((wait for wait in waits if wait is not None), default=None)

    def form_valid(self, form):
        retry_after = self._limited(form.cleaned_data["email"])
        if retry_after is not None:
            form.add_error(None, _wait_text(retry_after))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(retry_after)
            return response
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
