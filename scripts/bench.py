#!/usr/bin/env python
"""The performance benchmark (``make bench``; see docs/performance.md).

Builds a FRESH database (a new SQLite file under /tmp, or, when DATABASE_URL points at PostgreSQL, a new database
named after it with ``_run`` appended; the developer's own database is never touched), fills it with a registry
of ``--scale`` times 20 000 channels (somegov/bench.py) and prints:

1. SQL queries per request of every page in ``somegov.bench.PAGES`` at 50 channels and at full size;
2. server time per request (median, p95) in-process with Django's test client;
3. throughput of gunicorn on loopback for the public directory and the verify API beside a static file of the
   same size served by WhiteNoise from the same server, and a worker's peak memory (RSS);
4. scale-out: two gunicorn instances sharing the database and Redis; a change through one is visible at once
   through the other (skipped with a note when Redis does not answer).

Usage: ``.venv/bin/python scripts/bench.py [--scale 0.1] [--repeat 30] [--load-seconds 8]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-not-secret-1"  # noqa: S105 - a throwaway database's logins
SMALL_CHANNELS = 50


def fresh_database(url):
    """A new empty database beside the one DATABASE_URL names; returns its URL."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/") or "somegov"
        fresh = f"{name}_run"
        admin = parsed._replace(path="/postgres").geturl().replace("postgresql://", "postgres://")
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{fresh}"')
        return parsed._replace(path=f"/{fresh}").geturl(), f"PostgreSQL ({fresh})"
    path = Path(tempfile.gettempdir()) / f"somegov-bench-{os.getpid()}.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", f"SQLite ({path})"


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


# --- in-process measurements -------------------------------------------------------------------------------


def clients(world):
    from django.test import Client

    made = {None: Client()}
    for key, user in world.users.items():
        client = Client()
        client.force_login(user)
        made[key] = client
    return made


def query_counts(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from somegov.bench import PAGES

    logged_in, counts = clients(world), {}
    for name, role, url, _timed in PAGES:
        address = url(world)
        logged_in[role].get(address)  # warm: the public snapshot is built once per registry version
        with CaptureQueriesContext(connection) as queries:
            response = logged_in[role].get(address)
        assert response.status_code == 200, (name, address, response.status_code)
        counts[name] = len(queries)
    return counts


def timings(world, repeat):
    from somegov.bench import PAGES

    logged_in, rows = clients(world), {}
    for name, role, url, timed in PAGES:
        if not timed:
            continue
        address, samples, size = url(world), [], 0
        for _ in range(3):
            logged_in[role].get(address)
        for _ in range(repeat):
            start = time.perf_counter()
            response = logged_in[role].get(address)
            samples.append((time.perf_counter() - start) * 1000)
            size = len(response.content)
        rows[name] = (statistics.median(samples), pct(samples, 95), size)
    return rows


def import_preview(world, repeat=3):
    """The import page's preview of a 5 000-row CSV (``somegov.bench.import_file``): median seconds, queries."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    from somegov.bench import import_file

    content, client, samples = import_file(world), clients(world)["ict_secretary"], []

    def count(execute, sql, params, many, context):  # not CaptureQueriesContext: it keeps only 9 000 queries
        queries.append(sql)
        return execute(sql, params, many, context)

    for _ in range(repeat):
        upload, queries = SimpleUploadedFile("kanavat.csv", content), []
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            response = client.post(reverse("channels:import_upload"), {"file": upload})
        samples.append(time.perf_counter() - start)
        # Offered for confirmation only when every row is valid and something changes.
        assert response.status_code == 200 and reverse("channels:import_confirm").encode() in response.content
    return statistics.median(samples), len(queries), content.count(b"\n") - 1


# --- gunicorn ----------------------------------------------------------------------------------------------


def start_gunicorn(port, env, workers=2):
    process = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "somegov.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def fetch(port, path, method="GET", body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def load(port, path, seconds, threads=8):
    """Requests per second from ``threads`` clients for ``seconds`` (a new connection per request)."""
    done, errors, deadline = [0] * threads, [0] * threads, time.time() + seconds

    def worker(index):
        while time.time() < deadline:
            try:
                response, _ = fetch(port, path)
                if response.status == 200:
                    done[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.time()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.time() - start), sum(errors)


def worker_rss(master_pid):
    """Peak and current RSS (MiB) of each gunicorn worker (the master's children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    result = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        result.append((hwm, rss))
    return result


class Session:
    """A logged-in HTTP session against one gunicorn instance (cookies and the CSRF token by hand)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response, data = fetch(self.port, path, method, body, headers)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, data

    def login(self, username):
        self.request("GET", "/accounts/login/")
        response, _ = self.request("POST", "/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status == 302, f"login failed ({response.status})"


def verify_status(port, address):
    _response, data = fetch(port, "/api/v1/verify/?" + urllib.parse.urlencode({"address": address}))
    return json.loads(data)["channel"]["status"]


def scale_out(env, world, redis_url):
    """Two instances, one database, one Redis: pause a channel through A, read it through B at once."""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return [f"scale-out: skipped, Redis at {redis_url} did not answer ({exc})"]
    shared = {**env, "CACHE_URL": redis_url}
    redis.Redis.from_url(redis_url).flushdb()
    a, b = start_gunicorn(8092, shared, workers=1), start_gunicorn(8093, shared, workers=1)
    lines = []
    try:
        channel = world.channel
        before_b = verify_status(8093, channel.address)
        session = Session(8092)
        session.login(world.users["ict_secretary"].username)
        response, _ = session.request(
            "POST", f"/rekisteri/kanavat/{channel.pk}/tila/pause/", {"reason": "Benchmark: scale-out check"}
        )
        assert response.status == 302, f"pause failed ({response.status})"
        after_b = verify_status(8093, channel.address)
        after_a = verify_status(8092, channel.address)
        verdict = "CONSISTENT" if after_b == "paused" else "STALE"
        lines.append(
            f"scale-out: verify API through B before: {before_b}; paused through A; "
            f"through B right after: {after_b}; through A: {after_a} -> {verdict}"
        )
        assert after_b == "paused", "instance B served stale data"
    finally:
        stop(a)
        stop(b)
    return lines


# --- main --------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size as a fraction of 20 000 channels")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--load-seconds", type=float, default=8, help="seconds of load per URL on gunicorn")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--no-server", action="store_true", help="only the in-process measurements")
    args = parser.parse_args()

    database_url, database_label = fresh_database(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))
    static_root = tempfile.mkdtemp(prefix="somegov-bench-static-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "PUBLIC_RATE_LIMIT": "0",
        "STATIC_ROOT": static_root,
        "CACHE_URL": "locmemcache://bench",
        "DJANGO_SETTINGS_MODULE": "somegov.settings",
        "LOG_LEVEL": "WARNING",
        # The test client's host; not setup_test_environment(), whose template instrumentation costs time.
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from somegov import bench

    print(f"# somegov benchmark on {database_label}, scale {args.scale}")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    full = bench.sizes(args.scale)
    small_scale = SMALL_CHANNELS / bench.FULL["channels"]
    small = bench.generate(small_scale, prefix="s")
    counts_small = query_counts(small)
    start = time.perf_counter()
    big = bench.generate(max(args.scale - small_scale, small_scale), prefix="b")
    generation = time.perf_counter() - start
    for user in [*small.users.values(), *big.users.values()]:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    counts_full = query_counts(big)
    print(f"generated in {generation:.1f} s: " + ", ".join(f"{v} {k}" for k, v in big.counts.items()))
    print(f"(target sizes: {full})\n")

    print(f"| page | queries at {SMALL_CHANNELS} channels | queries at full size | equal |")
    print("|---|---:|---:|---|")
    for name in counts_small:
        equal = "yes" if counts_small[name] == counts_full[name] else "**NO**"
        print(f"| {name} | {counts_small[name]} | {counts_full[name]} | {equal} |")

    rows = timings(big, args.repeat)
    print(f"\n| page (full size, {args.repeat} requests) | median ms | p95 ms | bytes |")
    print("|---|---:|---:|---:|")
    for name, (median, p95, size) in rows.items():
        print(f"| {name} | {median:.1f} | {p95:.1f} | {size} |")

    seconds, queries, rows_read = import_preview(big)
    print(f"\nimport preview {rows_read} rows (CSV, median of 3): {seconds:.2f} s, {queries} queries")

    if args.no_server:
        return
    # A static file as large as the directory page, served by WhiteNoise from the same server.
    directory_bytes = rows["public directory"][2]
    (Path(static_root) / "bench").mkdir(exist_ok=True)
    (Path(static_root) / "bench" / "same-size.html").write_bytes(b"x" * directory_bytes)
    server = start_gunicorn(args.port, env)
    try:
        verify_path = "/api/v1/verify/?" + urllib.parse.urlencode({"address": big.address})
        targets = [
            ("static file (WhiteNoise)", "/static/bench/same-size.html"),
            ("public directory", "/kanavat/"),
            ("verify API", verify_path),
            ("API list", "/api/v1/channels/"),
        ]
        for _name, path in targets:
            response, _ = fetch(args.port, path)
            assert response.status == 200, (path, response.status)
        print(f"\n| gunicorn, 2 workers, 8 client threads, {args.load_seconds:g} s each | requests/s | errors |")
        print("|---|---:|---:|")
        rates = {}
        for name, path in targets:
            rate, errors = load(args.port, path, args.load_seconds)
            rates[name] = rate
            print(f"| {name} | {rate:.0f} | {errors} |")
        ratio = rates["public directory"] / rates["static file (WhiteNoise)"]
        print(f"\npublic directory / static file of the same size ({directory_bytes} bytes): {ratio:.2f}")
        for index, (hwm, rss) in enumerate(worker_rss(server.pid)):
            print(f"worker {index + 1}: peak RSS {hwm:.0f} MiB, now {rss:.0f} MiB")
    finally:
        stop(server)
    try:
        for line in scale_out(env, big, args.redis):
            print(line)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        if database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
