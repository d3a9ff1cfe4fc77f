"""The moved audit log table takes the core app's name (a rename: the rows and indexes stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_log_moved_from_somegov"),
        ("somegov", "0005_guideline_and_audit_log_moved_to_their_apps"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditevent", table=None),
    ]
