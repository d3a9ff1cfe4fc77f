"""Log-in with the municipality's identity provider (OpenID Connect), when ``OIDC_ENABLED`` is on.

mozilla-django-oidc runs the authorisation-code flow (with PKCE, state and nonce); this module
decides who the person is. The provider's e-mail claim is matched, case-insensitively, to

1. an existing login (``User.email``), or
2. a person of the registry (``Person.work_email``): their login, or a new login linked to them.

Only when neither matches and ``OIDC_CREATE_USER`` is on is a login created for an unknown person.
A login created here never gets a role, staff status or admin rights: the ICT secretary grants
roles in the admin as before. Ambiguous matches (two logins or two people with the same address,
a login linked to another person) are refused rather than guessed.
"""

import logging
import re

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import path
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from channels.models import Person
from core.audit import record
from core.models import AuditAction

logger = logging.getLogger(__name__)


def _username_for(email):
    """A free username from the address's local part (``etu.suku``, ``etu.suku-2``...)."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0].lower())[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def link_user(email, claims=None, request=None, *, create_unknown=False):
    """The login for the person the provider vouches for, or None when nobody matches.

    Side effects: may create a login without any role (audit log: ``change``) and may link a
    registry person to their login (history of ``Person``). Raises ``SuspiciousOperation`` on an
    ambiguous match.
    """
    claims = claims or {}
    email = email.strip()
    User = get_user_model()
    users = list(User.objects.select_for_update().filter(email__iexact=email)[:2])
    people = list(Person.objects.select_for_update().filter(work_email__iexact=email)[:2])
    if len(users) > 1:
        raise SuspiciousOperation("several logins have this e-mail address")
    if len(people) > 1:
        raise SuspiciousOperation("several people of the registry have this e-mail address")
    user = users[0] if users else None
    person = people[0] if people else None

    if person is not None and person.user_id is not None:
        if user is not None and user.pk != person.user_id:
            raise SuspiciousOperation("the address belongs to one login and to another login's person")
        user = person.user
    if user is not None and person is not None and person.user_id is None and Person.objects.filter(user=user).exists():
        raise SuspiciousOperation("the login is already linked to another person")

    if user is None:
        if person is None and not create_unknown:
            logger.info("OIDC log-in refused: no login or person with the address given by the provider")
            return None
        user = User(
            username=_username_for(email),
            email=email,
            first_name=(person.first_name if person else claims.get("given_name", ""))[:150],
            last_name=(person.last_name if person else claims.get("family_name", ""))[:150],
            is_staff=False,
            is_superuser=False,
        )
        user.set_unusable_password()  # the provider is the only way in; no password to guess
        user.save()
        record(request, AuditAction.CHANGE, user, actor=user, detail="login created at an OpenID Connect log-in")
    if person is not None and person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
        record(request, AuditAction.CHANGE, person, actor=user, detail="person linked to their login by e-mail")
    return user


def not_a_password_attempt(request, credentials):
    """``AXES_WHITELIST_CALLABLE``: django-axes counts password guesses only.

    A provider log-in carries no username or password (only a nonce and a PKCE verifier), so axes
    would count its failures against the office's address alone and lock every colleague behind
    it out. The provider keeps its own lockout; a password log-in is counted as before.
    """
    return "password" not in (credentials or {})


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching people by e-mail as described above."""

    def verify_claims(self, claims):
        email = (claims.get("email") or "").strip()
        # A provider that says the address is unverified is not trusted with it.
        return "@" in email and claims.get("email_verified", True) is not False

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("the provider gave no verified e-mail address")
        return link_user(
            claims["email"],
            claims,
            getattr(self, "request", None),
            create_unknown=getattr(settings, "OIDC_CREATE_USER", False),
        )


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends people back here; a refusal says so on the login page."""

    @property
    def failure_url(self):
        return resolve_url(self.get_settings("LOGIN_REDIRECT_URL_FAILURE", "login"))

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:
            logger.exception("the identity provider did not answer")
            messages.error(request, _("The municipality's login service did not answer. Try again in a moment."))
            return super().login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Logging in with the municipality's account did not succeed. If you work for the municipality, "
                "ask the ICT secretary of administrative services to add you to the portal."
            ),
        )
        return super().login_failure()


urlpatterns = [
    path(
        "authenticate/",
        login_not_required(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path("callback/", login_not_required(CallbackView.as_view()), name="oidc_authentication_callback"),
]
