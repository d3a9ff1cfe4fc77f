"""Passwords: the log-in backend that refuses the demo password on a real server, and the length rule in Finnish.

``load_demo`` refuses to run with ``DEBUG`` off, but a database loaded with the demo earlier keeps logins whose
password is published (``somegov.demo.DEMO_PASSWORD``). With ``DEBUG`` off ``PasswordBackend`` (Django's
``ModelBackend`` otherwise) refuses such a login at every log-in, with the same message as a wrong password, and
a warning in the log tells the operator to set a new one.
"""

import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.backends import ModelBackend
from django.utils.crypto import constant_time_compare
from django.utils.translation import ngettext

from somegov.demo import DEMO_PASSWORD

logger = logging.getLogger(__name__)


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # The stored hash has just matched ``password``: if that is the demo password, so is the stored one.
        # Comparing the text costs no second hash, and a wrong password never gets this far.
        if user is not None and not settings.DEBUG and constant_time_compare(password or "", DEMO_PASSWORD):
            logger.warning(
                "log-in refused: login pk %s still has the demo password; set a new one (DEBUG is off)", user.pk
            )
            return None
        return user


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its error message in our catalogue: Django's Finnish leaves it untranslated,
    so the Finnish password forms said "This password is too short" in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
