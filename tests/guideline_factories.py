"""Builders for the guideline and accessibility feedback tests (the 2016 guideline itself is loaded by migration)."""

import datetime
import importlib

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from guideline import services
from guideline.models import GuidelineVersion

LOAD_MIGRATION = ("somegov", "0003_load_guideline_2016")
# Every role but the ICT secretary's, who alone drafts and publishes versions.
NOT_ICT = ["staff", "supervisor", "area_head", "municipal_manager", "outsider"]
SECTION_3 = "palvelujen-kayttoonotto"  # §3 of the 2016 guideline, the section the tests edit


def ensure_guideline_loaded():
    """Load the 2016 guideline as the data migration does, if a flushed test database lacks it.

    Transactional tests (browser tests) flush the database afterwards, which removes what data
    migrations loaded. This runs the migration's own loader, so the rows are exactly those a migrated
    database has. The migration names the models as they were then (in the somegov app); they live in the
    guideline app now, so it is given today's models under their old label. Idempotent.
    """
    if GuidelineVersion.objects.exists():
        return
    today = MigrationLoader(connection).project_state().apps

    class _AsAtTheMigration:
        @staticmethod
        def get_model(app_label, model_name):
            return today.get_model("guideline" if model_name.startswith("Guideline") else app_label, model_name)

    importlib.import_module(f"somegov.migrations.{LOAD_MIGRATION[1]}").load(_AsAtTheMigration(), None)


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
