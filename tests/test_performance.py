"""Performance (#10): no page's number of queries grows with the data, and several servers agree at once.

The timing table of ``make bench`` is not a test (timings on shared machines are noise); the query counts are
deterministic, so every page of ``somegov.bench.PAGES`` is checked here at two sizes of the generated registry.
"""

import contextlib
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import CaptureQueriesContext

from channels import public
from channels.models import Channel, ChannelStatus
from somegov import bench
from tests.guideline_factories import ensure_guideline_loaded

SMALL, LARGE = 50 / bench.FULL["channels"], 250 / bench.FULL["channels"]
SEED_PLATFORMS = ("channels", "0003_seed_platforms")


@pytest.fixture(autouse=True)
def _migrated_data(db):
    """The platforms and the guideline that migrations load (a browser test's flush removes them)."""
    ensure_guideline_loaded()
    historical = MigrationLoader(connection).project_state(SEED_PLATFORMS, at_end=True).apps
    importlib.import_module(f"channels.migrations.{SEED_PLATFORMS[1]}").seed(historical, None)


def _counts(world):
    clients = {None: Client()}
    for key, user in world.users.items():
        clients[key] = Client()
        clients[key].force_login(user)
    counts = {}
    for name, role, url, _timed in bench.PAGES:
        address = url(world)
        clients[role].get(address)  # the public snapshot is built once per registry version
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(address)
        assert response.status_code == 200, (name, address)
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_costs_every_page_the_same_number_of_queries_at_two_sizes():
    small = bench.generate(SMALL, prefix="s")
    at_small = _counts(small)
    large = bench.generate(LARGE, prefix="b")
    assert Channel.objects.count() == small.counts["channels"] + large.counts["channels"] == 300
    at_large = _counts(large)
    # The same world's pages again, now among five times as many rows.
    again = _counts(small)
    assert at_large == at_small
    assert again == at_small


@pytest.mark.django_db
def test_it_generates_the_requested_sizes_with_history():
    world = bench.generate(SMALL, prefix="g")
    sizes = bench.sizes(SMALL)
    assert world.counts["channels"] == sizes["channels"]
    assert world.counts["proposals"] == sizes["proposals"]
    assert world.counts["history"] >= sizes["history"]
    assert Channel.history.count() >= sizes["channels"]
    # The generated addresses are what the normaliser makes, so the check finds them.
    response = Client().get("/api/v1/verify/", {"address": world.address})
    assert response.json()["status"] == "official"


# --- Several servers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _server(monkeypatch, memory):
    """Requests as one server process: its own in-memory snapshots; the cache (as Redis would be) is shared."""
    with monkeypatch.context() as patch:
        patch.setattr(public, "_local", memory)
        yield


def _status(client, address):
    return client.get("/api/v1/verify/", {"address": address}).json()["channel"]["status"]


@pytest.mark.django_db
def test_it_shows_a_change_made_through_one_server_at_once_through_another(monkeypatch):
    world = bench.generate(SMALL, prefix="x")
    channel = world.channel
    server_a, server_b = {}, {}
    secretary = Client()
    secretary.force_login(world.users["ict_secretary"])
    resident = Client()
    with _server(monkeypatch, server_b):
        assert _status(resident, channel.address) == "active"
        assert channel.name in resident.get("/kanavat/", {"platform": channel.platform.slug}).content.decode()
    with _server(monkeypatch, server_a):
        response = secretary.post(
            f"/rekisteri/kanavat/{channel.pk}/tila/retire/", {"reason": "Tili suljettiin."}, follow=False
        )
        assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RETIRED
    with _server(monkeypatch, server_b):
        assert _status(resident, channel.address) == "retired"
        page = resident.get("/kanavat/", {"platform": channel.platform.slug}).content.decode()
        assert channel.name not in page


@pytest.mark.django_db
def test_it_uses_a_process_copy_only_while_the_shared_cache_holds_it(django_assert_num_queries):
    from django.core.cache import cache

    world = bench.generate(SMALL, prefix="y")
    client = Client()
    client.get("/api/v1/verify/", {"address": world.address})
    with django_assert_num_queries(1):  # the registry version only
        client.get("/api/v1/verify/", {"address": world.address})
    cache.clear()  # e.g. another server flushed Redis: the copy in memory is not trusted alone
    with django_assert_num_queries(4):  # version, units, platforms, channels
        client.get("/api/v1/verify/", {"address": world.address})
