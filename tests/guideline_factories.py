"""Builders for the guideline and accessibility feedback tests (the 2016 guideline is loaded once per test session)."""

import datetime

from django.db import transaction
from django.utils import timezone

from guideline import services
from guideline.loading import load_bundled
from guideline.models import GuidelineSection, GuidelineVersion

# Every role but the ICT secretary's, who alone drafts and publishes versions.
NOT_ICT = ["staff", "supervisor", "area_head", "municipal_manager", "outsider"]
SECTION_3 = "palvelujen-kayttoonotto"  # §3 of the 2016 guideline, the section the tests edit


def ensure_guideline_loaded():
    """Load Suomussalmi's 2016 guideline (``load_guideline suomussalmi-2016``), if the database lacks it.

    A fresh database holds no guideline; the test database gets it once after migrating (the session's
    ``django_db_setup`` in conftest.py). Transactional tests (browser tests) flush the database afterwards,
    which removes it again, so they call this. Idempotent.
    """
    if GuidelineVersion.objects.exists():
        return
    with transaction.atomic():
        load_bundled(GuidelineVersion, GuidelineSection)


def current_version():
    return GuidelineVersion.objects.current()


def make_draft(ict_user, edits=None):
    """A draft copied from the version in force, with ``edits`` ({slug: new body}) applied."""
    draft = services.start_draft(ict_user)
    for slug, body in (edits or {}).items():
        section = draft.sections.get(slug=slug)
        services.edit_section(ict_user, section, title=section.title, body=body)
    return draft


def section_slugs(version):
    return list(version.sections.values_list("slug", flat=True))


def publish_new_version(ict_user, edits=None, label="Versio 2"):
    """Start a draft, apply ``edits`` (a default edit of §3 when none) and publish it."""
    edits = edits or {SECTION_3: "Uusi teksti luvulle 3.\n\n- ensimmäinen kohta\n- toinen kohta"}
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
