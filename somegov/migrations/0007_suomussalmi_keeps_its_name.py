"""Suomussalmi's existing install keeps its name now that the organisation is data (core.Organisation).

Before, the portal named Suomussalmi in its templates and loaded Suomussalmi's 2016 guideline into every database
(0003). A database that holds that guideline is Suomussalmi's: it gets the organisation record with Suomussalmi's
names (guideline/data/suomussalmi_organisation.json), and the contacts the server's environment gives
(``PRIVACY_CONTROLLER_EMAIL``... in ``settings.ORGANISATION``) where it gives them, so its pages look as before. A
fresh database holds no guideline and gets no record: its organisation comes from the environment until the ICT
secretary saves it. Reversing leaves the record (later versions of it may be the ICT secretary's).
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

DATA_DIR = Path(__file__).resolve().parents[2] / "guideline" / "data"


def name_suomussalmi(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    GuidelineVersion = apps.get_model("guideline", "GuidelineVersion")
    if Organisation.objects.exists():
        return
    guideline = json.loads((DATA_DIR / "guideline_2016_fi.json").read_text(encoding="utf-8"))["version"]
    if not GuidelineVersion.objects.filter(title=guideline["title"], label=guideline["label"]).exists():
        return
    values = json.loads((DATA_DIR / "suomussalmi_organisation.json").read_text(encoding="utf-8"))
    configured = getattr(settings, "ORGANISATION", {}) or {}
    for field in ("registry_office_email", "registry_office_phone", "dpo_email", "accessibility_email"):
        if configured.get(field):
            values[field] = configured[field]
    Organisation.objects.create(pk=1, **values)


class Migration(migrations.Migration):
    dependencies = [
        ("somegov", "0006_languages_are_configured"),
        ("core", "0004_organisation"),
        ("guideline", "0002_rename_tables"),
    ]

    operations = [migrations.RunPython(name_suomussalmi, migrations.RunPython.noop)]
