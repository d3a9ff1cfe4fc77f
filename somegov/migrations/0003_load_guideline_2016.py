"""Once loaded the 2016 guideline into every database; now it loads nothing (a documented no-op).

A fresh database holds no organisation's guideline: Suomussalmi's 2016 guideline (the Finnish text and its
English reading aid, ``guideline/data/guideline_2016_{fi,en}.json``) is loaded by
``manage.py load_guideline suomussalmi-2016``, and an organisation imports its own as a draft (see
``guideline/loading.py`` and docs/operations.md).

Existing installs ran this migration when it still loaded the guideline, and keep those rows: nothing here
touches them, forwards or backwards (the reverse used to delete the 2016 versions; it is a no-op too, so
unapplying the migration never loses a published guideline or its acknowledgements).

``load(apps, schema_editor)`` stays importable for code that called it: it loads the bundled guideline into
the models that ``apps`` names, through ``guideline.loading.load_bundled``. The migration itself does not
call it.
"""

from django.db import migrations


def load(apps, schema_editor):
    """Load Suomussalmi's 2016 guideline into ``apps``' guideline models (idempotent); not run by the migration."""
    from guideline.loading import load_bundled

    load_bundled(apps.get_model("somegov", "GuidelineVersion"), apps.get_model("somegov", "GuidelineSection"))


class Migration(migrations.Migration):
    dependencies = [("somegov", "0002_guideline_and_accessibility_feedback")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
