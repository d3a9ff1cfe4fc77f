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
"""

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
DEMO_PASSWORD = "demo-salasana-2026"  # noqa: S105 - the demo's published password (somegov/demo.py)
DEMO_USERS = ["kunnanjohtaja", "vastuualuejohtaja", "ict-sihteeri", "esihenkilo", "tyontekija"]
OUTAGE_PAGE = ("Palvelu on hetken poissa käytöstä", "Service temporarily unavailable")
REQUEST_TIMEOUT = 30


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port(preferred):
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) != 0:
                return port
    raise SystemExit(f"no free port near {preferred}")


# --- The throwaway PostgreSQL ---------------------------------------------------------------


class Postgres:
    """A PostgreSQL cluster in a temporary directory, run as the postgres user when we are root."""

    def __init__(self, workdir, port):
        self.bindir = self._find_bindir()
        self.port = port
        self.datadir = workdir / "pgdata"
        self.logfile = workdir / "postgresql.log"
        self.workdir = workdir
        self.as_root = os.geteuid() == 0

    @staticmethod
    def _find_bindir():
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
        preferred = Path("/usr/lib/postgresql/15/bin/initdb")
        initdb = preferred if preferred.exists() else (candidates[0] if candidates else None)
        if initdb is None:
            raise SystemExit("PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin")
        return initdb.parent

    def _run(self, *args, check=True, timeout=60):
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:  # initdb and pg_ctl refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, timeout=timeout, capture_output=True, text=True)  # noqa: S603

    def init(self):
        if self.as_root:
            shutil.chown(self.workdir, "postgres")
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")

    def start(self):
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses={HOST} -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", options, "-w", "-t", "30", "start")
        # pg_ctl -w can return while the server still answers "the database system is starting up" over
        # TCP (seen in CI): wait until it accepts connections on the address the portal uses.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready = self._run("pg_isready", "-q", "-h", HOST, "-p", str(self.port), check=False, timeout=10)
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the throwaway PostgreSQL on port {self.port} did not become ready in 30 s")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", "30", "stop", check=False)

    def sql(self, statement, database="postgres"):
        connection = ["-h", HOST, "-p", str(self.port), "-U", "postgres", "-d", database]
        result = subprocess.run(  # noqa: S603
            [str(self.bindir / "psql"), *connection, "-v", "ON_ERROR_STOP=1", "-At", "-c", statement],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    def url(self, database):
        return f"postgres://postgres@{HOST}:{self.port}/{database}"


# --- The portal -----------------------------------------------------------------------------


def django_env(database_url, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "loadtest-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def manage(env, *args, timeout=300):
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


class Gunicorn:
    def __init__(self, env, port, workers, logfile):
        self.port = port
        self.workers = workers
        self.logfile = logfile
        command = [str(GUNICORN), "somegov.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
        command += ["--timeout", "30", "--graceful-timeout", "5", "--error-logfile", str(logfile)]
        self.output = open(logfile.with_suffix(".out"), "wb")  # noqa: SIM115 - open while gunicorn runs
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=self.output, stderr=subprocess.STDOUT, start_new_session=True
        )

    def worker_pids(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.logfile}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if Client(self.port).request("GET", "/").status == 200 and len(self.worker_pids()) == self.workers:
                    return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout} s; see {self.logfile}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.output.close()

    def tail(self, lines=40):
        text = self.logfile.with_suffix(".out").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


# --- A client with cookies ------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One browser: a cookie jar over plain http.client connections (gunicorn's sync workers close each)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "somegov-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.msg, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def log_in(self, username):
        """GET the form, POST it; returns the POST's response."""
        page = self.request("GET", "/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match:
            return page
        form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": DEMO_PASSWORD, "next": "/"}
        return self.request("POST", "/accounts/login/", form)


# --- The run --------------------------------------------------------------------------------

CONNECTION_ERRORS = (OSError, http.client.HTTPException)


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


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


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
        postgres.init()
        postgres.start()
        postgres.sql("CREATE DATABASE somegov_load")
        env = django_env(postgres.url("somegov_load"))
        manage(env, "migrate", "--no-input", "-v0")
        manage({**env, "DEBUG": "true"}, "load_demo", "--quiet")
        manage(env, "collectstatic", "--no-input", "-v0")
        port = free_port(args.port)
        gunicorn = Gunicorn(env, port, args.workers, workdir / "gunicorn.log")
        gunicorn.wait_ready()
        log(f"gunicorn on {HOST}:{port} with workers {gunicorn.worker_pids()}")

        # Sessions made before the clock starts: one per demo user, shared by the page clients.
        sessions = []
        for username in DEMO_USERS:
            client = Client(port)
            response = client.log_in(username)
            if response.status != 302:
                raise SystemExit(f"could not log in as {username}: {response.status}")
            sessions.append((username, client.cookies))
        pages = [("GET / (anonymous)", "/", False), ("GET /accounts/login/", "/accounts/login/", False)]
        pages += [("GET / (logged in)", "/", True)]
        pages += [(f"GET {url} (logged in)", url, True) for url in args.url]
        pages += [(f"GET {url} (anonymous)", url, False) for url in args.public_url]

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

        # Fault 1: a worker dies mid-request.
        time.sleep(max(0.0, started + args.duration * 0.25 - time.monotonic()))
        before = gunicorn.worker_pids()
        victim = before[-1]
        os.kill(victim, signal.SIGKILL)
        log(f"killed gunicorn worker {victim} with SIGKILL")
        replaced_at = None
        for _ in range(100):
            now_pids = gunicorn.worker_pids()
            if victim not in now_pids and len(now_pids) == args.workers:
                replaced_at = time.monotonic()
                log(f"the master replaced it: workers {now_pids}")
                break
            time.sleep(0.1)
        if replaced_at is None:
            failures.append("the killed worker was not replaced within 10 s")

        # Fault 2: the database goes away and comes back.
        time.sleep(max(0.0, started + args.duration * 0.5 - time.monotonic()))
        stopped_at = time.monotonic()
        postgres.stop("fast")
        log(f"PostgreSQL stopped (fast shutdown); down for {args.outage:g} s")
        time.sleep(args.outage)
        postgres.start()
        started_again = time.monotonic()
        log(f"PostgreSQL started again after {started_again - stopped_at:.1f} s")

        for thread in threads:
            thread.join(timeout=args.duration + REQUEST_TIMEOUT * 2)
        stop_probe.set()
        probe.join(timeout=REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - started
        if any(thread.is_alive() for thread in threads):
            failures.append("some clients did not finish in time")

        # The outage as people saw it.
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

        # The table.
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

        # No committed write lost: every log-in answered with a redirect has its audit log row.
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

        # Backup and restore of the database just used, on PostgreSQL, out of any test transaction.
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
