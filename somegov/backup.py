"""Backing up and restoring all of the portal's data as JSON (``export_all`` and ``restore_all``).

The export is Django's ``dumpdata`` of every model but the ones that need no backup: sessions
(people log in again), content types and permissions (the migrations recreate them; references
to them are written as natural keys), django-axes' log-in attempts (short-lived lockout
counters) and the public registry's version (a cache key, made anew by the restore). Everything
else is in it: logins and roles, the registry and its history, governance, the guideline and the
audit log. New models of any app are included without a change here.

For PostgreSQL in production, ``pg_dump`` remains the primary backup (``docs/operations.md#backups``); this
export is the database-independent copy, e.g. for moving from SQLite or for a restore test.
"""

import bz2
import gzip
import json
import lzma
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from approvals import rule_history
from channels import versioning
from core.models import AuditEvent

EXCLUDED = ["sessions", "contenttypes", "auth.permission", "axes", "channels.registryversion"]
FORMATS = (".json", ".json.gz", ".json.bz2", ".json.xz", ".json.lzma")


# Models that moved between apps since exports were first made: (old app, model) -> new app. An export written
# before a move names the old app, in its rows' labels and in natural keys of content types and permissions.
MOVED_MODELS = {
    ("somegov", "guidelineversion"): "guideline",
    ("somegov", "guidelinesection"): "guideline",
    ("somegov", "guidelineacknowledgement"): "guideline",
    ("somegov", "auditevent"): "core",
}
# Fields added since exports were first made, with the value their migration gave rows that existed then (a
# translation of the guideline is a reading aid: guideline 0004).
ADDED_FIELDS = {
    "guideline.guidelineversion": {"standing": lambda fields: "reading_aid" if fields.get("is_translation") else ""},
}
OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}


class BackupError(Exception):
    """A refused backup or restore; the message says why, for the operator."""


def _excluded(model):
    return model._meta.app_label in EXCLUDED or model._meta.label_lower in EXCLUDED


def exported_models():
    """The models whose rows the export holds (many-to-many links travel inside their owners)."""
    return [m for m in apps.get_models() if not m._meta.proxy and not _excluded(m)]


def check_file_name(path):
    if not str(path).endswith(FORMATS):
        raise BackupError(f"The file name must end with one of {', '.join(FORMATS)}: {path}")


def _history_rows(model, using):
    rows = model._base_manager.using(using)
    if any(field.name == "history_change_reason" for field in model._meta.fields):
        rows = rows.exclude(history_change_reason=rule_history.BASELINE_REASON)
    return rows.count()


def data_in_use(using=DEFAULT_DB_ALIAS):
    """What shows that a database is in use: logins, audit log entries and history rows.

    A freshly migrated database has none of these (migrations only seed groups, platforms and
    the like), while every database that has been used has at least its first login.
    """
    history_models = [m for m in exported_models() if m.__name__.startswith("Historical") and hasattr(m, "history_id")]
    counts = {
        "logins": get_user_model()._base_manager.using(using).count(),
        "audit log entries": AuditEvent._base_manager.using(using).count(),
        # The policy rules' first history rows are the migrations' own (approvals 0008): they do not count.
        "history rows": sum(_history_rows(m, using) for m in history_models),
    }
    return {name: count for name, count in counts.items() if count}


def export_all(path, using=DEFAULT_DB_ALIAS):
    """Write every exported model to ``path`` from one consistent snapshot; returns rows per model.

    The file is created readable by its owner only: it holds personal data and the audit log.
    """
    path = Path(path)
    check_file_name(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    path.chmod(0o600)
    connection = connections[using]
    # On PostgreSQL the whole export reads one snapshot, so a change committed meanwhile cannot
    # leave a row pointing at a row the export missed. (Not possible inside a caller's transaction.)
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    if snapshot:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        with transaction.atomic(using=using):
            counts = {m._meta.label: m._base_manager.using(using).count() for m in exported_models()}
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,  # content types and permissions by name: their ids differ between databases
                use_base_manager=True,  # every row, whatever a model's default manager hides
                output=str(path),
                database=using,
                verbosity=0,
            )
    finally:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("RESET default_transaction_isolation")
                cursor.execute("RESET default_transaction_read_only")
    return counts


def flush(using=DEFAULT_DB_ALIAS):
    """Empty every table (``manage.py flush``), also inside a transaction that has written rows.

    PostgreSQL refuses to TRUNCATE a table with foreign-key checks still pending in the same
    transaction, so they are run first; later checks are deferred again, as Django has them.
    """
    connection = connections[using]
    run_pending_checks = connection.vendor == "postgresql" and connection.in_atomic_block
    if run_pending_checks:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, database=using, verbosity=0)
    if run_pending_checks:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _renamed_key(value):
    """A natural key naming a moved model (a content type ``[app, model]`` or a permission ``[codename, app,
    model]``) with its new app; anything else as it is."""
    if isinstance(value, list) and len(value) in (2, 3) and all(isinstance(part, str) for part in value):
        app, model = value[-2:]
        if (app, model) in MOVED_MODELS:
            return [*value[:-2], MOVED_MODELS[app, model], model]
    return value


def _with_moved_models(rows):
    """Rows of an export with the labels of moved models (``MOVED_MODELS``) changed to their new apps, and the
    fields that older exports lack (``ADDED_FIELDS``) given the value their migration gave existing rows."""
    for row in rows:
        app, _dot, model = row.get("model", "").partition(".")
        if (app, model) in MOVED_MODELS:
            row["model"] = f"{MOVED_MODELS[app, model]}.{model}"
        for name, value_of in ADDED_FIELDS.get(row.get("model"), {}).items():
            row.setdefault("fields", {}).setdefault(name, value_of(row["fields"]))
        for name, value in row.get("fields", {}).items():
            if isinstance(value, list) and value and isinstance(value[0], list):  # many-to-many by natural key
                row["fields"][name] = [_renamed_key(item) for item in value]
            else:
                row["fields"][name] = _renamed_key(value)
    return rows


def readable_export(path, directory):
    """``path`` itself, or a translated copy in ``directory`` when the export names models that have moved."""
    opener = OPENERS.get(Path(path).suffix, open)
    with opener(path, "rt", encoding="utf-8") as file:
        text = file.read()
    moved = any(f'"{app}.{model}"' in text or f'"{app}", "{model}"' in text for app, model in MOVED_MODELS)
    if not moved and all(f'"{name}"' in text for fields in ADDED_FIELDS.values() for name in fields):
        return path
    copy = Path(directory) / "export.json"
    copy.write_text(json.dumps(_with_moved_models(json.loads(text))), encoding="utf-8")
    return copy


def restore_all(path, using=DEFAULT_DB_ALIAS, *, force=False):
    """Replace the database's data with the export at ``path``; returns rows per model.

    Refuses a database in use unless ``force``. All or nothing: one transaction.
    """
    path = Path(path)
    check_file_name(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    in_use = data_in_use(using)
    if in_use and not force:
        found = ", ".join(f"{name}: {count}" for name, count in in_use.items())
        raise BackupError(
            f"The database is not empty ({found}). Restore into a fresh, migrated database, "
            "or add --force to replace everything in this one."
        )
    try:
        with transaction.atomic(using=using):
            # The migrations' seed rows (groups, platforms...) are in the export too: start from nothing.
            flush(using)
            # The file holds the history itself: loading many-to-many links must not record new history
            # rows (django-simple-history listens to m2m_changed even for loaddata's raw saves).
            with override_settings(SIMPLE_HISTORY_ENABLED=False), tempfile.TemporaryDirectory() as directory:
                call_command("loaddata", str(readable_export(path, directory)), database=using, verbosity=0)
            # loaddata's raw saves do not bump the public registry's version: a new one (with a new token) makes
            # every server drop what it cached.
            versioning.bump(using)
    except Exception as exc:  # a broken or foreign file: the transaction is rolled back, nothing changed
        raise BackupError(f"{path} could not be restored, nothing was changed: {exc}") from exc
    return {m._meta.label: m._base_manager.using(using).count() for m in exported_models()}
