"""Builders for the guideline and accessibility feedback tests (the 2016 guideline itself is loaded by migration)."""

import datetime

from django.utils import timezone

from somegov import services
from somegov.models import GuidelineVersion


def current_version():
    return GuidelineVersion.objects.current()


def make_draft(ict_user, edits=None):
    """A draft copied from the version in force, with ``edits`` ({slug: new body}) applied."""
    draft = services.start_draft(ict_user)
    for slug, body in (edits or {}).items():
        section = draft.sections.get(slug=slug)
        services.edit_section(ict_user, section, title=section.title, body=body)
    return draft


def publish_new_version(ict_user, edits=None, label="Versio 2"):
    """Start a draft, apply ``edits`` (a default edit of §3 when none) and publish it."""
    edits = edits or {"palvelujen-kayttoonotto": "Uusi teksti luvulle 3.\n\n- ensimmäinen kohta\n- toinen kohta"}
    draft = make_draft(ict_user, edits)
    return services.publish_version(
        ict_user,
        draft,
        title=draft.title,
        label=label,
        approved_by="Kunnanhallitus",
        approved_on=timezone.localdate() - datetime.timedelta(days=1),
        note="Luku 3 päivitetty.",
    )


def publish_data(**overrides):
    return {
        "title": "Suomussalmen kunnan sosiaalisen median ohjeet",
        "label": "Versio 2",
        "approved_by": "Kunnanhallitus",
        "approved_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "note": "Luku 3 päivitetty.",
        **overrides,
    }


def feedback_data(**overrides):
    return {
        "name": "Kaisa Kuntalainen",
        "email": "kaisa@example.invalid",
        "page_url": "/ohje/",
        "message": "Ohjeen sivun linkit eivät erotu tekstistä.",
        "website": "",
        **overrides,
    }
