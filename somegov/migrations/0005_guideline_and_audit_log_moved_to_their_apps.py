"""The guideline's models move to the ``guideline`` app and the audit log to ``core``, keeping tables and rows.

State only for the models (``guideline`` 0001 and ``core`` 0001 take them over). The content types follow, so the
ICT secretary group's permissions and the admin's change log keep pointing at the same rows.
"""

from django.db import migrations

MOVED = {
    "guidelineversion": "guideline",
    "guidelinesection": "guideline",
    "guidelineacknowledgement": "guideline",
    "auditevent": "core",
}


def _move_content_types(apps, schema_editor, *, forwards):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, new_app in MOVED.items():
        source, target = ("somegov", new_app) if forwards else (new_app, "somegov")
        # A content type the target app got meanwhile (a post_migrate of a half-run migrate) would clash; the
        # source's row is the one permissions and log entries point at, so it wins.
        if ContentType.objects.using(db).filter(app_label=source, model=model).exists():
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, forwards=True)


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("somegov", "0004_merge_0002_audit_log_0003_load_guideline_2016"),
        ("core", "0001_audit_log_moved_from_somegov"),
        ("guideline", "0001_guideline_moved_from_somegov"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay; the new apps' migrations own them from here on.
            state_operations=[
                migrations.RemoveField(
                    model_name="guidelineacknowledgement",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="guidelineacknowledgement",
                    name="version",
                ),
                migrations.RemoveField(
                    model_name="guidelinesection",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="guidelinesection",
                    name="version",
                ),
                migrations.RemoveField(
                    model_name="guidelineversion",
                    name="based_on",
                ),
                migrations.RemoveField(
                    model_name="guidelineversion",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="guidelineversion",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="guidelineversion",
                    name="translation_of",
                ),
                migrations.DeleteModel(
                    name="AuditEvent",
                ),
                migrations.DeleteModel(
                    name="GuidelineAcknowledgement",
                ),
                migrations.DeleteModel(
                    name="GuidelineSection",
                ),
                migrations.DeleteModel(
                    name="GuidelineVersion",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
