"""The guideline pages, the accessibility feedback and their ICT secretary views."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guideline import services as guideline_services
from guideline.models import TranslationStanding
from somegov import services
from tests.guideline_factories import current_version, feedback_data, make_draft, publish_data
from tests.matrix import Row, everyone, logged_in, only


def _draft(org):
    return make_draft(org.users["ict_secretary"])


def _changed_draft(org):
    return make_draft(org.users["ict_secretary"], {"palvelujen-kayttoonotto": "Muutettu teksti."})


def _guideline_file(org):
    text = "# Esimerkkilän ohje\n\n## 1. Johdanto\n\nTeksti.\n\n## 2. Käyttö\n\nLisää tekstiä.\n"
    return {"file": SimpleUploadedFile("ohje.md", text.encode(), "text/markdown"), "title": "", "label": ""}


def _translation_draft(org):
    """A new draft of the English language version (LANGUAGES=fi,en in the tests), with §3 edited."""
    ict = org.users["ict_secretary"]
    draft = guideline_services.start_translation(
        ict, current_version(), language="en", standing=TranslationStanding.READING_AID
    )
    section = draft.sections.get(slug="palvelujen-kayttoonotto")
    guideline_services.edit_section(ict, section, title=section.title, body="New English text.")
    return draft


def _feedback(org):
    return services.submit_feedback(message="Kontrasti on liian heikko.")


ROWS = [
    Row("guideline", everyone(200), note="a public document (621/1999); acknowledging needs a login"),
    Row("guideline_versions", everyone(200)),
    Row("guideline_version", everyone(200), args=lambda org: [current_version().pk]),
    Row(
        "guideline_version",
        everyone(404),
        args=lambda org: [_draft(org).pk],
        note="drafts are not public, not even to the ICT secretary here (she uses the preview)",
    ),
    Row("guideline_version_changes", everyone(200), args=lambda org: [current_version().pk]),
    Row("guideline_acknowledge", logged_in(405), args=lambda org: [current_version().pk]),
    Row("guideline_acknowledge", logged_in(302), method="POST", args=lambda org: [current_version().pk]),
    Row("guideline_acknowledgements", only("ict_secretary")),
    Row("guideline_draft_start", logged_in(405), note="GET changes nothing"),
    Row("guideline_draft_start", only("ict_secretary", code=302), method="POST"),
    Row("guideline_import", only("ict_secretary"), note="upload a Markdown or Word guideline"),
    Row(
        "guideline_import",
        only("ict_secretary", code=302),
        method="POST",
        data=_guideline_file,
        note="the imported draft; then to the draft page",
    ),
    Row("guideline_draft", only("ict_secretary"), args=lambda org: [_draft(org).pk]),
    Row(
        "guideline_draft_section",
        only("ict_secretary"),
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
    ),
    Row(
        "guideline_draft_section",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
        data=lambda org: {"title": "Palvelujen käyttöönotto", "body": "Uusi teksti.", "save": "1"},
    ),
    Row(
        "guideline_draft_section_remove",
        only("ict_secretary"),
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
        note="a confirmation page",
    ),
    Row(
        "guideline_draft_section_remove",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
    ),
    Row(
        "guideline_draft_section_move",
        logged_in(405),
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
        note="GET changes nothing",
    ),
    Row(
        "guideline_draft_section_move",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_draft(org).pk, "palvelujen-kayttoonotto"],
        data=lambda org: {"direction": "up"},
    ),
    Row("guideline_draft_section_add", only("ict_secretary"), args=lambda org: [_draft(org).pk]),
    Row(
        "guideline_draft_section_add",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_draft(org).pk],
        data=lambda org: {"number": "8", "title": "Tietoturva", "body": "Uusi luku.", "save": "1"},
    ),
    Row("guideline_draft_preview", only("ict_secretary"), args=lambda org: [_draft(org).pk]),
    Row("guideline_draft_changes", only("ict_secretary"), args=lambda org: [_draft(org).pk]),
    Row("guideline_draft_publish", only("ict_secretary"), args=lambda org: [_changed_draft(org).pk]),
    Row(
        "guideline_draft_publish",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_changed_draft(org).pk],
        data=lambda org: publish_data(),
    ),
    Row(
        "guideline_translation_add",
        only("ict_secretary"),
        args=lambda org: [current_version().pk],
        note="add a language version to the version in force",
    ),
    Row(
        "guideline_translation_add",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [current_version().pk],
        data=lambda org: {"language": "en", "standing": "reading_aid", "source": "copy"},
        note="a new draft of the English version; then to the draft page",
    ),
    Row(
        "guideline_draft",
        only("ict_secretary"),
        args=lambda org: [_translation_draft(org).pk],
        note="a language version's draft",
    ),
    Row(
        "guideline_draft_section",
        only("ict_secretary"),
        args=lambda org: [_translation_draft(org).pk, "palvelujen-kayttoonotto"],
        note="a language version's section",
    ),
    Row(
        "guideline_draft_section",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_translation_draft(org).pk, "palvelujen-kayttoonotto"],
        data=lambda org: {"title": "Introducing services", "body": "Translated text.", "save": "1"},
        note="a language version's section",
    ),
    Row(
        "guideline_draft_section_add",
        only("ict_secretary", code=404),
        args=lambda org: [_translation_draft(org).pk],
        note="a language version keeps its original's sections",
    ),
    Row(
        "guideline_draft_section_remove",
        only("ict_secretary", code=404),
        args=lambda org: [_translation_draft(org).pk, "palvelujen-kayttoonotto"],
        note="a language version keeps its original's sections",
    ),
    Row(
        "guideline_draft_section_move",
        only("ict_secretary", code=404),
        method="POST",
        args=lambda org: [_translation_draft(org).pk, "palvelujen-kayttoonotto"],
        data=lambda org: {"direction": "up"},
        note="a language version keeps its original's sections",
    ),
    Row(
        "guideline_draft_preview",
        only("ict_secretary"),
        args=lambda org: [_translation_draft(org).pk],
        note="a language version's draft",
    ),
    Row(
        "guideline_draft_publish",
        only("ict_secretary"),
        args=lambda org: [_translation_draft(org).pk],
        note="a language version's draft",
    ),
    Row(
        "guideline_draft_publish",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_translation_draft(org).pk],
        data=lambda org: {"title": "Social media guidelines"},
        note="a language version's draft",
    ),
    Row("accessibility_feedback", everyone(200), note="public: no login needed to give feedback"),
    Row("accessibility_feedback", everyone(302), method="POST", data=lambda org: feedback_data()),
    Row("accessibility_feedback_thanks", everyone(200)),
    Row("accessibility_feedback_list", only("ict_secretary")),
    Row("accessibility_feedback_detail", only("ict_secretary"), args=lambda org: [_feedback(org).pk]),
    Row("accessibility_feedback_answer", logged_in(405), args=lambda org: [_feedback(org).pk]),
    Row(
        "accessibility_feedback_answer",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [_feedback(org).pk],
        data=lambda org: {"answered_on": timezone.localdate().isoformat(), "note": "Vastattu puhelimitse."},
    ),
]
