"""Suomussalmi's existing database migrates to the organisation as data without losing a row, and its portal
looks as before: the database held the 2016 guideline, so it gets Suomussalmi's organisation record."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core.models import Organisation
from tests.guideline_factories import ensure_guideline_loaded

BEFORE = [("core", "0003_audit_actions_for_use_and_roles"), ("somegov", "0006_languages_are_configured")]


NEW_TABLES = {Organisation._meta.db_table, Organisation.history.model._meta.db_table}


def _row_counts():
    """Rows in every table the database had before (the organisation's tables are new)."""
    existing = set(connection.introspection.table_names())
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in existing and model._meta.db_table not in NEW_TABLES
    }


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_suomussalmis_database_keeps_every_row_and_gets_its_name(client, org, settings):
    ensure_guideline_loaded()
    settings.ORGANISATION = {}
    _migrate(BEFORE)  # as the database was before the organisation became data
    counts = _row_counts()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _row_counts() == counts
    record = Organisation.objects.get()
    assert (record.name, record.name_genitive, record.name_sv) == (
        "Suomussalmen kunta",
        "Suomussalmen kunnan",
        "Suomussalmi kommun",
    )
    assert "<title>Etusivu – Suomussalmen kunnan somepalvelut</title>" in client.get(reverse("home")).text


@pytest.mark.django_db(transaction=True)
def test_a_database_without_suomussalmis_guideline_gets_no_record(org, settings):
    from django.db.models import QuerySet

    from guideline.models import GuidelineSection, GuidelineVersion

    QuerySet.delete(GuidelineSection.objects.all())
    QuerySet.delete(GuidelineVersion.objects.filter(translation_of__isnull=False))
    QuerySet.delete(GuidelineVersion.objects.all())
    _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not Organisation.objects.exists()
