"""The public registry's version (channels.versioning): every change moves it, a read is one primary-key probe.

The public pages' cache and ETags are keyed by it, so a change that does not move it leaves residents with
stale data, and a read that scanned the history would cost more as the registry ages.
"""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from channels import public, services, versioning
from channels.models import Channel, ChannelStatus, Platform, RegistryVersion, Unit, UnitKind
from channels.transfer import importing, reading
from somegov import bench
from tests.public_data import make_channel

pytestmark = pytest.mark.django_db


def _secretary(org):
    return org.users["ict_secretary"]


def counter():
    versioning.current()  # as the portal does: recreates the row a transactional test's flush removed
    return RegistryVersion.objects.get().counter


@pytest.fixture
def channel(org):
    return make_channel(org.unit, "instagram", "@kirjasto_versio", name="Kirjaston kanava")


def test_the_migration_creates_the_one_row():
    row = RegistryVersion.objects.get()
    assert row.pk == 1 and row.counter >= 1 and len(row.token) == 16


def test_reading_it_is_one_query_by_primary_key_that_never_touches_the_history(channel):
    with CaptureQueriesContext(connection) as queries:
        version = public.registry_version()
    assert len(queries) == 1
    sql = queries[0]["sql"].lower()
    assert RegistryVersion._meta.db_table in sql and "where" in sql
    for model in (Channel, Platform, Unit):
        assert model.history.model._meta.db_table not in sql
    assert "count(" not in sql and "max(" not in sql
    assert version == str(RegistryVersion.objects.get())


def test_a_request_reads_it_once(rf, channel):
    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert public.registry_version(request) == public.registry_version(request)
    assert len(queries) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda org, ch: ch.save(update_fields=["name"]), id="channel save"),
        pytest.param(
            lambda org, ch: services.change_status(
                ch, ChannelStatus.PAUSED, actor=org.users["ict_secretary"], reason="Tauko"
            ),
            id="change_status",
        ),
        pytest.param(
            lambda org, ch: services.update_channel(ch, actor=org.users["ict_secretary"]), id="update_channel"
        ),
        pytest.param(
            lambda org, ch: make_channel(org.other_unit, "facebook", "https://www.facebook.com/uusi.sivu"),
            id="new channel",
        ),
        pytest.param(lambda org, ch: Platform.objects.filter(slug="tiktok").get().save(), id="platform save"),
        pytest.param(lambda org, ch: org.unit.save(update_fields=["name"]), id="unit save"),
        pytest.param(
            lambda org, ch: Unit.objects.create(name="Uusi yksikkö", kind=UnitKind.AREA, parent=org.municipality),
            id="new unit",
        ),
        pytest.param(lambda org, ch: ch.delete(), id="channel delete"),
        pytest.param(
            lambda org, ch: Unit.objects.filter(pk=_spare_unit(org).pk).delete(), id="queryset delete (admin's bulk)"
        ),
    ],
)
def test_every_change_of_what_the_public_sees_moves_the_version(org, channel, change):
    version, before = public.registry_version(), counter()
    change(org, channel)
    assert public.registry_version() != version
    assert counter() > before


def _spare_unit(org):
    return Unit.objects.create(name="Poistettava yksikkö", kind=UnitKind.AREA, parent=org.municipality)


def test_a_queryset_update_without_a_bump_would_be_missed_so_the_code_bumps(channel):
    # A queryset update() sends no signal: this is why a path that writes rows without save() calls bump().
    version = public.registry_version()
    Channel.objects.filter(pk=channel.pk).update(name="Ohi signaalien")
    assert public.registry_version() == version
    versioning.bump()
    assert public.registry_version() != version


def test_an_import_moves_it(org):
    version = public.registry_version()
    text = (
        "Palvelu;Nimi;Osoite;Yksikkö;Tarkoitukset\n"
        "Facebook;Tuotu sivu;https://www.facebook.com/tuotu.sivu;Kirjastopalvelut;tiedon jakaminen\n"
    )
    result = importing.apply_import(reading.read_table("kanavat.csv", text.encode()), actor=None)
    assert not result.has_errors
    assert public.registry_version() != version


def test_a_restore_moves_it(tmp_path, channel):
    path = tmp_path / "export.json"
    call_command("export_all", str(path), stdout=io.StringIO())
    version = public.registry_version()
    call_command("restore_all", str(path), "--force", stdout=io.StringIO())
    assert public.registry_version() != version
    assert RegistryVersion.objects.count() == 1


def test_the_bench_generator_moves_it():
    version = public.registry_version()
    bench.generate(50 / bench.FULL["channels"], prefix="v")
    assert public.registry_version() != version


def test_a_missing_row_is_made_again_by_a_read_or_a_change():
    RegistryVersion.objects.all().delete()  # as after a flush
    first = public.registry_version()
    assert RegistryVersion.objects.count() == 1
    versioning.bump()
    assert public.registry_version() != first
    RegistryVersion.objects.all().delete()
    versioning.bump()
    assert RegistryVersion.objects.get().counter == 1


def test_a_rolled_back_change_never_shows_even_when_its_version_number_is_used_again(org, channel):
    """A snapshot built inside a transaction that is rolled back is cached under that transaction's version.

    The counter goes back with the rollback and the next change reaches the same number, so the random token
    is what keeps the public from being served the rolled-back data.
    """
    before = public.registry_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        channel.name = "Peruttu nimi"
        channel.save(update_fields=["name"])
        inside = public.registry_version()
        assert [entry["name"] for entry in public.snapshot().channels] == ["Peruttu nimi"]
        raise RuntimeError("rolled back")
    assert public.registry_version() == before
    assert "Peruttu nimi" not in Client().get("/kanavat/").content.decode()
    org.unit.save(update_fields=["name"])  # another change: the counter reaches the rolled-back number again
    assert public.registry_version().split("-")[0] == inside.split("-")[0]
    assert public.registry_version() != inside
    names = [entry["name"] for entry in public.snapshot().channels]
    assert names == ["Kirjaston kanava"]
    response = Client().get("/api/v1/verify/", {"address": "instagram.com/kirjasto_versio"})
    assert response.json()["channel"]["name"] == "Kirjaston kanava"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_no_change():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by design; the row lock is PostgreSQL's concern")
    start = counter()
    errors = []

    def write():
        try:
            for _ in range(20):
                with transaction.atomic():
                    versioning.bump()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counter() == start + 80


def test_a_channel_retired_yesterday_is_retired_today_in_the_public_data(org, channel):
    assert public.verify("instagram.com/kirjasto_versio").kind == "official"
    services.change_status(
        channel,
        ChannelStatus.RETIRED,
        actor=org.users["ict_secretary"],
        reason="Suljettu",
        on=datetime.date(2026, 1, 2),
    )
    assert public.verify("instagram.com/kirjasto_versio").kind == "retired"
