"""Load the 2016 guideline: the Finnish text (the first published version) and its English reading aid.

The text comes from the prepared data files ``guideline/data/guideline_2016_{fi,en}.json``, which restore
the structure of the PDF (tests/test_guideline_source.py proves them faithful to the source). Several
sections have no number, so sections are keyed on their slug. Reversible: unloading removes exactly
these two versions, their sections and acknowledgements (it refuses while a later version is based on them).
"""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import migrations

# The data files moved with the guideline app (guideline/data/).
DATA_DIR = Path(__file__).resolve().parents[2] / "guideline" / "data"
FILES = {"fi": DATA_DIR / "guideline_2016_fi.json", "en": DATA_DIR / "guideline_2016_en.json"}
# The municipal board's meeting that had the guideline as appendix 1: the day it took effect.
PUBLISHED_AT = datetime.datetime(2016, 1, 26, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def _read(language):
    return json.loads(FILES[language].read_text(encoding="utf-8"))


def _create_version(GuidelineVersion, GuidelineSection, doc, translation_of=None):
    meta = doc["version"]
    version = GuidelineVersion.objects.create(
        title=meta["title"],
        label=meta["label"],
        language=meta["language"],
        status="published",
        is_translation=bool(meta.get("is_translation")),
        translation_of=translation_of,
        approved_by=meta["approved_by"],
        approved_on=datetime.date.fromisoformat(meta["approved_on"]),
        note=meta["note"],
        editorial_notes=meta.get("editorial_notes", []),
        created_at=PUBLISHED_AT,
        published_at=PUBLISHED_AT,
    )
    GuidelineSection.objects.bulk_create(
        GuidelineSection(
            version=version,
            order=order,
            number=section["number"],
            slug=section["slug"],
            title=section["title"],
            title_is_editorial=bool(section.get("title_is_editorial")),
            body=section["body"],
        )
        for order, section in enumerate(doc["sections"], start=1)
    )
    return version


def _loaded(GuidelineVersion, language):
    meta = _read(language)["version"]
    return GuidelineVersion.objects.filter(
        title=meta["title"], label=meta["label"], language=meta["language"], published_at=PUBLISHED_AT
    )


def load(apps, schema_editor):
    GuidelineVersion = apps.get_model("somegov", "GuidelineVersion")
    GuidelineSection = apps.get_model("somegov", "GuidelineSection")
    if _loaded(GuidelineVersion, "fi").exists():
        return
    finnish = _create_version(GuidelineVersion, GuidelineSection, _read("fi"))
    _create_version(GuidelineVersion, GuidelineSection, _read("en"), translation_of=finnish)


def unload(apps, schema_editor):
    GuidelineVersion = apps.get_model("somegov", "GuidelineVersion")
    GuidelineSection = apps.get_model("somegov", "GuidelineSection")
    GuidelineAcknowledgement = apps.get_model("somegov", "GuidelineAcknowledgement")
    finnish = list(_loaded(GuidelineVersion, "fi"))
    versions = finnish + list(GuidelineVersion.objects.filter(translation_of__in=finnish))
    GuidelineAcknowledgement.objects.filter(version__in=versions).delete()
    GuidelineSection.objects.filter(version__in=versions).delete()
    GuidelineVersion.objects.filter(pk__in=[v.pk for v in versions if v.translation_of_id]).delete()
    GuidelineVersion.objects.filter(pk__in=[v.pk for v in finnish]).delete()


class Migration(migrations.Migration):
    dependencies = [("somegov", "0002_guideline_and_accessibility_feedback")]

    operations = [migrations.RunPython(load, unload)]
