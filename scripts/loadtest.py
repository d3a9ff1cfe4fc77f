#!/usr/bin/env python3
"""Load and fault test: the portal under gunicorn on a throwaway PostgreSQL, with a worker killed
and the database restarted while people use it.

What it does (all on 127.0.0.1, bounded in time and count, nothing installed):

1. creates a PostgreSQL cluster of its own in a temporary directory (``initdb``; the shared server
   on 5432 is never touched), migrates a database, loads the demo and collects the static files;
2. starts gunicorn (3 sync workers) and runs ``--clients`` concurrent clients for ``--duration``
   seconds on the public home page, the login page and the home page as a logged-in user (plus any
   ``--url``/``--public-url``), while a log-in stream writes audit log rows;
3. at a quarter of the time kills one gunicorn worker with SIGKILL; at half the time stops the
   database for ``--outage`` seconds and starts it again: people must get the 503 page meanwhile
   and 200 again afterwards, without anything being restarted by hand;
4. checks that no committed write was lost: every log-in answered with a redirect has its audit
   log row; then backs the database up with ``export_all``, restores it into a fresh database with
   ``restore_all`` and compares the row counts;
5. prints a table (requests, errors, median and 95th percentile latency, throughput) and exits
   non-zero on any error or failed check.

A request cut off by the killed worker is retried once, as a browser or proxy would retry an
idempotent GET; a log-in cut off that way counts as neither success nor failure (its row may or may
not exist). Any other connection failure, an unexpected status, a 5xx outside the outage or a 503
without the friendly page is an error.

    .venv/bin/python scripts/loadtest.py                 # 60 s, 50 clients
    .venv/bin/python scripts/loadtest.py --duration 30   # as CI runs it
    .venv/bin/python scripts/loadtest.py --url /rekisteri/ --public-url /kanavat/

The servers and the faults are in ``loadtest_cluster.py``, the client in ``loadtest_client.py``, beside this file.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from loadtest_client import CONNECTION_ERRORS, HOST, REQUEST_TIMEOUT, Client
from loadtest_cluster import (
    Gunicorn,
    Postgres,
    free_port,
    kill_a_worker,
    log,
    manage,
    prepare_database,
    stop_the_database,
)

DEMO_USERS = ["kunnanjohtaja", "vastuualuejohtaja", "ict-sihteeri", "esihenkilo", "tyontekija"]
OUTAGE_PAGE = ("Palvelu on hetken poissa käytöstä", "Service temporarily unavailable")


# --- The load -------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # label -> [(start, end, status or None, problem)]
        self.logins = defaultdict(lambda: {"attempts": 0, "succeeded": 0, "interrupted": 0, "refused_503": 0})
        self.retried = 0

    def add(self, label, start, end, status, problem=""):
        with self.lock:
            self.samples[label].append((start, end, status, problem))


def classify(response, expected, results, label, start, end, check=None):
    """Record one answer; the outage decision is made afterwards, when its times are known."""
    problem = ""
    if response.status == 503:
        text = response.text
        if (
            not all(part in text for part in OUTAGE_PAGE)
            or "Traceback" in text
            or "Retry-After" not in response.headers
        ):
            problem = "503 without the friendly page"
    elif response.status != expected:
        problem = f"status {response.status}, expected {expected}"
    elif check and not check(response):
        problem = "unexpected page content"
    results.add(label, start, end, response.status, problem)


def page_worker(port, deadline, results, pages, sessions, index):
    """One client: walks the pages in turn until the deadline."""
    anonymous = Client(port)
    logged_in = Client(port)
    username, cookies = sessions[index % len(sessions)]
    logged_in.cookies = dict(cookies)
    step = index
    while time.monotonic() < deadline:
        label, path, as_user = pages[step % len(pages)]
        step += 1
        client = logged_in if as_user else anonymous
        check = (lambda r, u=username: f"<strong>{u}</strong>" in r.text) if as_user and path == "/" else None
        for attempt in (1, 2):
            start = time.monotonic()
            try:
                response = client.request("GET", path)
            except CONNECTION_ERRORS as exc:
                if attempt == 1:  # cut off (e.g. by the killed worker): retry once, like a browser
                    with results.lock:
                        results.retried += 1
                    time.sleep(0.05)
                    continue
                results.add(label, start, time.monotonic(), None, f"connection failed twice: {exc!r}")
                break
            classify(response, 200, results, label, start, time.monotonic(), check)
            break


def login_worker(port, deadline, results, index):
    """Logs in again and again: each success writes an audit log row that must survive."""
    step = index
    while time.monotonic() < deadline:
        username = DEMO_USERS[step % len(DEMO_USERS)]
        step += 1
        client = Client(port)
        start = time.monotonic()
        with results.lock:
            results.logins[username]["attempts"] += 1
        try:
            response = client.log_in(username)
        except CONNECTION_ERRORS:
            with results.lock:
                results.logins[username]["interrupted"] += 1
            results.add("POST /accounts/login/", start, time.monotonic(), None, "interrupted")
            continue
        if response.status == 302 and response.headers.get("Location") == "/":
            with results.lock:
                results.logins[username]["succeeded"] += 1
        elif response.status == 503:
            with results.lock:
                results.logins[username]["refused_503"] += 1
        classify(response, 302, results, "POST /accounts/login/", start, time.monotonic())


def probe_worker(port, cookies, stop, results, probes):
    """Asks for a database-backed page five times a second, to see the outage and the recovery."""
    client = Client(port)
    client.cookies = dict(cookies)
    while not stop.is_set():
        start = time.monotonic()
        try:
            status = client.request("GET", "/").status
        except CONNECTION_ERRORS:
            status = None
        probes.append((start, time.monotonic(), status))
        stop.wait(0.2)


def log_in_everyone(port):
    """Sessions made before the clock starts: one per demo user, shared by the page clients."""
    sessions = []
    for username in DEMO_USERS:
        client = Client(port)
        response = client.log_in(username)
        if response.status != 302:
            raise SystemExit(f"could not log in as {username}: {response.status}")
        sessions.append((username, client.cookies))
    return sessions


def pages_to_load(args):
    """(label, path, as a logged-in user) for every page the clients walk."""
    pages = [("GET / (anonymous)", "/", False), ("GET /accounts/login/", "/accounts/login/", False)]
    pages += [("GET / (logged in)", "/", True)]
    pages += [(f"GET {url} (logged in)", url, True) for url in args.url]
    pages += [(f"GET {url} (anonymous)", url, False) for url in args.public_url]
    return pages


# --- The checks -----------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def check_the_outage(probes, stopped_at, started_again, failures):
    """The outage as people saw it: 503 pages while the database was down, 200 again by itself afterwards.
    Returns when the portal answered 200 again (or None) and the window in which a 503 is expected."""
    during = [status for s, e, status in probes if e >= stopped_at and s <= started_again]
    after = [(e, status) for s, e, status in probes if s >= started_again]
    first_ok = next((e for e, status in after if status == 200), None)
    if 503 not in during:
        failures.append(f"no 503 page was seen while the database was down (statuses {sorted(set(during))})")
    if first_ok is None:
        failures.append("the portal did not answer 200 again after the database came back")
    elif any(status != 200 for e, status in after if e > first_ok):
        failures.append("after recovering, the portal failed again")
    recovered_at = first_ok or started_again
    window = (stopped_at, recovered_at + 2.0)  # each worker reconnects at its next request
    return first_ok, window


def report(results, elapsed, window, first_ok, started_again, failures):
    """Print the table of requests, errors, latency and throughput."""
    rows, errors, outage_503, problems = [], 0, 0, defaultdict(int)
    for label, samples in results.samples.items():
        ok = [e - s for s, e, status, problem in samples if status is not None and not problem]
        label_errors = 0
        for s, e, status, problem in samples:
            if problem == "interrupted":
                continue
            if status == 503 and not problem and e >= window[0] and s <= window[1]:
                outage_503 += 1
                continue
            if problem or status == 503:
                label_errors += 1
                problems[f"{label}: {problem or '503 outside the outage'}"] += 1
        errors += label_errors
        latencies = [s * 1000 for s in ok] or [0.0]
        rows.append((label, len(samples), label_errors, statistics.median(latencies), percentile(latencies, 0.95)))
    total = sum(row[1] for row in rows)
    print()
    print(f"{'request':<34} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>9} {'req/s':>8}")
    for label, count, label_errors, median, p95 in sorted(rows):
        print(f"{label:<34} {count:>9} {label_errors:>7} {median:>10.0f} {p95:>9.0f} {count / elapsed:>8.1f}")
    print(f"{'all':<34} {total:>9} {errors:>7} {'':>10} {'':>9} {total / elapsed:>8.1f}")
    print()
    print(f"retried once after a cut connection (the killed worker): {results.retried}")
    print(f"503 pages during the database outage (expected): {outage_503}")
    if first_ok is not None:
        print(f"first 200 after the database came back: {first_ok - started_again:.2f} s later, by itself")
    for problem, count in sorted(problems.items()):
        print(f"ERROR {count} x {problem}")
    if errors:
        failures.append(f"{errors} errors")


def check_no_write_lost(postgres, results, failures):
    """No committed write lost: every log-in answered with a redirect has its audit log row."""
    interrupted = sum(c["interrupted"] for c in results.logins.values())
    succeeded = sum(c["succeeded"] for c in results.logins.values())
    lost = 0
    for username, counts in sorted(results.logins.items()):
        rows_written = int(
            postgres.sql(
                "SELECT count(*) FROM core_auditevent "  # noqa: S608 - a demo username of ours
                f"WHERE action = 'login' AND actor_name = '{username}' AND detail = ''",
                "somegov_load",
            )
        )
        rows_written -= 1  # the session made before the clock started
        if rows_written < counts["succeeded"]:
            lost += counts["succeeded"] - rows_written
        if rows_written > counts["succeeded"] + counts["interrupted"] + counts["refused_503"]:
            failures.append(f"{username}: more log-in rows ({rows_written}) than log-ins that could have written")
    print(f"log-ins: {succeeded} succeeded, {interrupted} cut off by the killed worker; audit rows lost: {lost}")
    if succeeded == 0:
        failures.append("no log-in succeeded, so nothing was checked")
    if lost:
        failures.append(f"{lost} committed log-ins have no audit log row")


def check_backup(env, postgres, workdir, failures):
    """Backup and restore of the database just used, on PostgreSQL, out of any test transaction."""
    export = workdir / "export.json.gz"
    summary = manage(env, "export_all", str(export))
    postgres.sql("CREATE DATABASE somegov_restore")
    restore_env = {**env, "DATABASE_URL": postgres.url("somegov_restore")}
    manage(restore_env, "migrate", "--no-input", "-v0")
    restored = manage(restore_env, "restore_all", str(export))
    print(f"backup: {summary} / {restored}")
    tables = postgres.sql(
        "SELECT string_agg(table_name, ' ') FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_name NOT LIKE 'axes%' AND table_name NOT IN ('django_session', 'django_content_type', "
        "'auth_permission', 'django_migrations')",
        "somegov_load",
    ).split()
    differences = []
    for table in tables:
        query = f"SELECT count(*) FROM {table}"  # noqa: S608 - names from the catalogue
        original, copy = postgres.sql(query, "somegov_load"), postgres.sql(query, "somegov_restore")
        if table == "core_auditevent":
            copy = str(int(copy) - 1)  # the restore logs itself
            original = str(int(original) - 1)  # and so did the export, after taking its snapshot
        if original != copy:
            differences.append(f"{table}: {original} -> {copy}")
    if differences:
        failures.append(f"the restored copy differs: {differences}")
    else:
        print(f"backup: the restored copy has the same number of rows in all {len(tables)} tables")


# --- The run --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--login-streams", type=int, default=2, help="clients logging in again and again (default 2)")
    parser.add_argument("--outage", type=float, default=4.0, help="seconds the database is down (default 4)")
    parser.add_argument("--port", type=int, default=8096, help="gunicorn's port on 127.0.0.1 (next free one)")
    parser.add_argument("--pg-port", type=int, default=5440, help="the throwaway PostgreSQL's port (next free one)")
    parser.add_argument("--url", action="append", default=[], help="another page to load as a logged-in user")
    parser.add_argument("--public-url", action="append", default=[], help="another page to load without logging in")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    args = parser.parse_args()
    if not 10 <= args.duration <= 900 or not 1 <= args.clients <= 200 or not 0 < args.outage <= 30:
        raise SystemExit("--duration must be 10..900 s, --clients 1..200 and --outage 0..30 s")

    workdir = Path(tempfile.mkdtemp(prefix="somegov-load-"))
    postgres = Postgres(workdir, free_port(args.pg_port))
    gunicorn = None
    failures = []
    try:
        log(f"PostgreSQL {postgres.bindir.parent.name} cluster on {HOST}:{postgres.port} in {workdir}")
        env = prepare_database(postgres, "somegov_load")
        port = free_port(args.port)
        gunicorn = Gunicorn(env, port, args.workers, workdir / "gunicorn.log")
        gunicorn.wait_ready()
        log(f"gunicorn on {HOST}:{port} with workers {gunicorn.worker_pids()}")
        sessions = log_in_everyone(port)
        pages = pages_to_load(args)

        results = Results()
        stop_probe = threading.Event()
        probes = []
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(target=page_worker, args=(port, deadline, results, pages, sessions, i), daemon=True)
            for i in range(args.clients)
        ]
        threads += [
            threading.Thread(target=login_worker, args=(port, deadline, results, i), daemon=True)
            for i in range(args.login_streams)
        ]
        probe = threading.Thread(
            target=probe_worker, args=(port, sessions[0][1], stop_probe, results, probes), daemon=True
        )
        log(f"load: {args.clients} clients and {args.login_streams} log-in streams for {args.duration} s")
        for thread in [*threads, probe]:
            thread.start()

        time.sleep(max(0.0, started + args.duration * 0.25 - time.monotonic()))
        if not kill_a_worker(gunicorn):
            failures.append("the killed worker was not replaced within 10 s")

        time.sleep(max(0.0, started + args.duration * 0.5 - time.monotonic()))
        stopped_at, started_again = stop_the_database(postgres, args.outage)

        for thread in threads:
            thread.join(timeout=args.duration + REQUEST_TIMEOUT * 2)
        stop_probe.set()
        probe.join(timeout=REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - started
        if any(thread.is_alive() for thread in threads):
            failures.append("some clients did not finish in time")

        first_ok, window = check_the_outage(probes, stopped_at, started_again, failures)
        report(results, elapsed, window, first_ok, started_again, failures)
        check_no_write_lost(postgres, results, failures)
        check_backup(env, postgres, workdir, failures)
    finally:
        if gunicorn is not None:
            gunicorn.stop()
            if failures:
                print("--- the end of gunicorn's output ---")
                print(gunicorn.tail())
        postgres.stop("fast")
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    if failures:
        for failure in failures:
            print(f"FAILED: {failure}")
        return 1
    print("loadtest passed: no errors, no lost writes, recovered from a killed worker and a database restart")
    return 0


if __name__ == "__main__":
    sys.exit(main())
