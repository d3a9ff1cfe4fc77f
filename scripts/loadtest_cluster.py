"""The load test's servers and the faults done to them (scripts/loadtest.py): a throwaway PostgreSQL cluster
in a temporary directory (the shared server on 5432 is never touched) and the portal under gunicorn, all on
127.0.0.1; a gunicorn worker killed with SIGKILL and the database stopped and started again.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from loadtest_client import HOST, LOAD_PASSWORD, Client

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


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


def prepare_database(postgres, database):
    """Start the cluster, create ``database`` with the demo in it (its logins with ``LOAD_PASSWORD``) and collect
    the static files; returns the environment the portal runs with."""
    postgres.init()
    postgres.start()
    postgres.sql(f"CREATE DATABASE {database}")
    env = django_env(postgres.url(database))
    manage(env, "migrate", "--no-input", "-v0")
    manage({**env, "DEBUG": "true"}, "load_demo", "--quiet")
    # With DEBUG off the portal refuses the demo's published password, as on a real server: give the logins
    # the load test's own.
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "for user in get_user_model().objects.all():\n"
        f"    user.set_password({LOAD_PASSWORD!r})\n"
        "    user.save(update_fields=['password'])",
    )
    manage(env, "collectstatic", "--no-input", "-v0")
    return env


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


# --- The faults -----------------------------------------------------------------------------


def kill_a_worker(gunicorn):
    """Fault 1: a worker dies mid-request. Returns whether the master replaced it within 10 s."""
    before = gunicorn.worker_pids()
    victim = before[-1]
    os.kill(victim, signal.SIGKILL)
    log(f"killed gunicorn worker {victim} with SIGKILL")
    for _ in range(100):
        now_pids = gunicorn.worker_pids()
        if victim not in now_pids and len(now_pids) == gunicorn.workers:
            log(f"the master replaced it: workers {now_pids}")
            return True
        time.sleep(0.1)
    return False


def stop_the_database(postgres, outage):
    """Fault 2: the database goes away for ``outage`` seconds and comes back. Returns when it stopped and
    when it was started again (monotonic clock)."""
    stopped_at = time.monotonic()
    postgres.stop("fast")
    log(f"PostgreSQL stopped (fast shutdown); down for {outage:g} s")
    time.sleep(outage)
    postgres.start()
    started_again = time.monotonic()
    log(f"PostgreSQL started again after {started_again - stopped_at:.1f} s")
    return stopped_at, started_again
