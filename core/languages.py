"""The portal's interface languages.

``settings.KNOWN_LANGUAGES`` are the languages the portal has been translated into; ``settings.LANGUAGES`` are the
ones this organisation offers (``LANGUAGES=fi,sv,en``). A model's language field takes its choices from
:func:`configured_languages`, a callable, so that forms and validation offer only the configured languages while
the migrations stay the same whatever the environment says; a database constraint that must hold for every
install names :func:`known_language_codes`.
"""

from django.conf import settings


def configured_languages():
    """``[(code, name)]`` of the languages this install offers."""
    return settings.LANGUAGES


def known_language_codes():
    """Every language code the portal could be configured with."""
    return [code for code, _name in settings.KNOWN_LANGUAGES]
