"""The moved tables take the guideline app's names (a rename: the rows, keys and indexes stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("guideline", "0001_guideline_moved_from_somegov"),
        ("somegov", "0005_guideline_and_audit_log_moved_to_their_apps"),
    ]

    operations = [
        migrations.AlterModelTable(name="guidelineversion", table=None),
        migrations.AlterModelTable(name="guidelinesection", table=None),
        migrations.AlterModelTable(name="guidelineacknowledgement", table=None),
    ]
