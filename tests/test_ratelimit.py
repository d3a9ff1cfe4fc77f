"""The rate limit's window slides: no stretch of ``window`` seconds, wherever it starts, holds more than ``limit``
allowed requests of one client. A fake clock (``time.time``, which the locmem cache reads for its timeouts too)."""

import random
import time

import pytest
from django.test import RequestFactory

from core.ratelimit import take_slot

HOUR = 3600
BOUNDARY = 1_800_000_000 - 1_800_000_000 % HOUR + HOUR  # the start of a clock hour


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = BOUNDARY - 10.0

        def __call__(self):
            return self.now

    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def request(address="192.0.2.10"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_the_limit_holds_across_a_clock_hour_boundary(clock):
    assert [take_slot(request(), "feedback", 5, HOUR) for _ in range(5)] == [None] * 5
    clock.now = BOUNDARY + 1  # a fixed window would start afresh here and allow five more
    assert all(take_slot(request(), "feedback", 5, HOUR) is not None for _ in range(5))


def test_a_slot_frees_a_window_after_the_request_that_took_it(clock):
    start = clock.now
    for offset in (0, 100, 200):
        clock.now = start + offset
        assert take_slot(request(), "feedback", 3, HOUR) is None
    clock.now = start + 1000
    assert take_slot(request(), "feedback", 3, HOUR) == HOUR - 1000  # until the oldest leaves the window
    clock.now = start + HOUR - 1
    assert take_slot(request(), "feedback", 3, HOUR) == 1
    clock.now = start + HOUR
    assert take_slot(request(), "feedback", 3, HOUR) is None
    assert take_slot(request(), "feedback", 3, HOUR) == 100  # the next oldest, taken at start + 100


def test_no_window_ever_holds_more_than_the_limit(clock):
    rng = random.Random(16)
    limit, window, allowed = 4, 60, []
    for _ in range(600):
        clock.now += rng.choice([0.5, 1, 3, 7, 15, 29.5])
        if take_slot(request(), "api", limit, window) is None:
            allowed.append(clock.now)
    assert len(allowed) > 50  # the limit let requests through all along
    for index, start in enumerate(allowed):
        assert sum(1 for moment in allowed[index:] if moment < start + window) <= limit


def test_clients_and_scopes_are_counted_apart(clock):
    assert take_slot(request("192.0.2.1"), "feedback", 1, HOUR) is None
    assert take_slot(request("192.0.2.1"), "feedback", 1, HOUR) is not None
    assert take_slot(request("192.0.2.2"), "feedback", 1, HOUR) is None
    assert take_slot(request("192.0.2.1"), "api", 1, HOUR) is None


def test_a_zero_limit_allows_everything(clock):
    assert all(take_slot(request(), "feedback", 0, HOUR) is None for _ in range(20))
