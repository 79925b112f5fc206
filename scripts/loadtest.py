#!/usr/bin/env python3
"""Load and fault test: gunicorn with the production settings on loopback, readers of several roles,
one writer, and a PostgreSQL restart in the middle.

    make loadtest                                   # 32 connections, 30 s, restart at 10 s
    .venv/bin/python scripts/loadtest.py --duration 10 --connections 8

Prints requests per second, p50/p99 latency, errors by answer (status), errors during the
outage, seconds to recover, errors after recovery (must be 0) and the writer's acknowledged
writes vs rows found (must be equal); exits non-zero when either of those two does not hold
(with ``--no-restart``: when any request failed).

Each reader loads the pages of its role listed in READER_PAGES; before the load starts, every one
must answer 200 and every list must link its detail page, or the script stops and names them: a
renamed page is a failure, never a page silently left out (a 404 during the load is an error too).

The writer signs in again and again as the demo administrator: every acknowledged login (302)
has written one audit row (apps.core.signals), so rows found must equal acknowledged logins.

Only loopback addresses are used, the load is bounded (connections × duration) and everything
the script starts is stopped at the end. Standard library + the project's requirements only.
"""
import argparse
import collections
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
LOOPBACK = "127.0.0.1"

WRITER = "admin"
# Each reader's pages: (list page, pattern of a detail link on it, or None). Only pages the role may use:
# every one must answer 200 and every pattern find a link, or the script stops before the load
# (tests/core/test_loadtest_pages.py checks this table against the demo data).
_DASHBOARD = ("/", None)
_KHOM = ("/khom/", r'href="(/khom/\d+/)"')
_SUBJECTS = ("/subjects/", r'href="(/subjects/\d+/)"')
_CASES = ("/cases/", r'href="(/cases/\d+/)"')
_ACTIVITIES = ("/activities/", None)  # activities have no detail page (edit only)
_REPORTS = ("/reports/", r'href="(/reports/\d+/)"')
READER_PAGES = {
    "lanhdao": [_DASHBOARD, _KHOM, _SUBJECTS, _CASES, _ACTIVITIES, _REPORTS],
    "congan": [_DASHBOARD, _KHOM, _SUBJECTS, _CASES, _ACTIVITIES, _REPORTS],
    # A khóm officer reads no case records and no reports (403): not his pages.
    "khom01": [_DASHBOARD, _KHOM, _SUBJECTS, _ACTIVITIES],
}
READERS = list(READER_PAGES)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--restart-at", type=float, default=None, help="seconds into the load (default: a third)")
    parser.add_argument("--no-restart", action="store_true", help="load only, no PostgreSQL restart")
    parser.add_argument("--pg-cluster", default="main", help="pg_ctlcluster cluster name to restart")
    parser.add_argument("--pg-version", default=None, help="PostgreSQL major version (default: the only one in /etc/postgresql)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--skip-setup", action="store_true", help="do not migrate / seed demo data / collect static")
    args = parser.parse_args()
    if not 1 <= args.connections <= 256 or not 1 <= args.duration <= 600:
        parser.error("keep the load bounded: 1–256 connections, 1–600 seconds")
    if args.restart_at is None:
        args.restart_at = args.duration / 3
    return args


def database_url():
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/myhoi")


def check_loopback(url):
    host = urllib.parse.urlparse(url).hostname or "localhost"
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"Refusing to run against a non-loopback database host: {host}")


def production_env():
    """The production settings (DEBUG off), adapted only as far as plain http on loopback needs."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=database_url(),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=LOOPBACK,
        SECURE_SSL_REDIRECT="False",
        # Demo users have no authenticator app; the second factor is tested elsewhere.
        OTP_REQUIRED_ROLES="",
        # The readers and the writer all come from 127.0.0.1; throttling is tested elsewhere.
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def setup(args):
    debug_env = dict(os.environ, DEBUG="1", DATABASE_URL=database_url())
    manage("ensure_database", env=debug_env)
    manage("migrate", "--noinput", env=debug_env)
    manage("seed_demo", env=debug_env)
    manage("collectstatic", "--noinput", env=production_env())


def free_port(port):
    with socket.socket() as probe:
        if probe.connect_ex((LOOPBACK, port)) == 0:
            sys.exit(f"Port {port} on {LOOPBACK} is in use: pass --port")


def start_gunicorn(args):
    command = [GUNICORN, "myhoi.wsgi:application", "--bind", f"{LOOPBACK}:{args.port}",
               "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
               "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning"]
    # Server errors (expected while PostgreSQL is down) go to a log file, not over the figures.
    log_path = ROOT / "var" / "loadtest-gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(command, cwd=ROOT, env=production_env(), start_new_session=True,
                               stdout=log, stderr=subprocess.STDOUT)
    print(f"gunicorn on http://{LOOPBACK}:{args.port}/ (log: {log_path.relative_to(ROOT)})")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _body, _ = request(args.port, "GET", "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        time.sleep(0.3)
    stop(process)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(port, method, path, cookies=None, body=None, conn=None, timeout=15):
    """One HTTP request; returns (status, body, set-cookie dict)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    headers = {"Host": LOOPBACK}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{LOOPBACK}:{port}/accounts/login/"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        set_cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                set_cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, set_cookies
    finally:
        if own:
            conn.close()


def login(port, username, password):
    """Sign in through the real login form; returns the cookies, or None if refused."""
    status, body, cookies = request(port, "GET", "/accounts/login/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        return None
    form = {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
    status, _body, new_cookies = request(port, "POST", "/accounts/login/", cookies=cookies, body=form)
    if status != 302 or "sessionid" not in new_cookies:
        return None
    cookies.update(new_cookies)
    return cookies


def discover(fetch, sessions):
    """The (username, cookies, path) the readers will load, and what went wrong finding them.

    *fetch(cookies, path)* returns (status, body). Each reader's list pages and one detail page of
    each; a page that does not answer 200 or a list without the expected detail link is a problem
    (a renamed or broken page), never silently left out of the load.
    """
    targets, problems = [], []
    for username, cookies in sessions.items():
        for list_path, detail_pattern in READER_PAGES[username]:
            status, body = fetch(cookies, list_path)
            if status != 200:
                problems.append(f"{username}: GET {list_path} answered {status}")
                continue
            targets.append((username, cookies, list_path))
            if detail_pattern:
                match = re.search(detail_pattern.encode(), body)
                if match is None:
                    problems.append(f"{username}: {list_path} has no link matching {detail_pattern}")
                    continue
                detail = match.group(1).decode()
                status, _body = fetch(cookies, detail)
                if status != 200:
                    problems.append(f"{username}: GET {detail} answered {status}")
                    continue
                targets.append((username, cookies, detail))
    return targets, problems


class Recorder:
    """Every request's (start, end, ok) and each error's answer (status, or "no answer") — thread-safe, appended only."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []
        self.answers = collections.Counter()

    def add(self, start, end, ok, answer=None):
        with self.lock:
            self.samples.append((start, end, ok))
            if not ok:
                self.answers[answer] += 1


def reader(port, targets, offset, stop_at, recorder):
    conn = None
    index = offset
    while time.monotonic() < stop_at:
        _username, cookies, path = targets[index % len(targets)]
        index += 1
        start = time.monotonic()
        ok, answer = False, "no answer"
        try:
            conn = conn or http.client.HTTPConnection(LOOPBACK, port, timeout=15)
            status, _body, _ = request(port, "GET", path, cookies=cookies, conn=conn)
            ok, answer = status == 200, status  # a 404 or 403 is an error like a 500
        except (OSError, http.client.HTTPException):
            if conn is not None:
                conn.close()
            conn = None
        recorder.add(start, time.monotonic(), ok, answer)
        if not ok:
            time.sleep(0.05)  # an error answers fast; do not spin
    if conn is not None:
        conn.close()


def writer(port, password, stop_at, counts):
    while time.monotonic() < stop_at:
        counts["attempted"] += 1
        try:
            if login(port, WRITER, password) is not None:
                counts["acknowledged"] += 1
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)


def restart_postgres(args, events):
    version = args.pg_version or sorted(os.listdir("/etc/postgresql"))[-1]
    events["restart_begin"] = time.monotonic()
    result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, args.pg_cluster, "restart"],
                            capture_output=True, text=True)
    events["restart_end"] = time.monotonic()
    events["restart_rc"] = result.returncode
    if result.returncode != 0:
        events["restart_error"] = result.stderr.strip()


def rows_found(since_wall):
    import psycopg2

    url = urllib.parse.urlparse(database_url())
    conn = psycopg2.connect(dbname=url.path.lstrip("/"), host=url.hostname, port=url.port or 5432,
                            user=url.username, password=url.password)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_auditevent WHERE action = 'login' AND username = %s "
                           "AND at >= to_timestamp(%s)", [WRITER, since_wall])
            return cursor.fetchone()[0]
    finally:
        conn.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    args = parse_args()
    check_loopback(database_url())
    free_port(args.port)
    if not args.skip_setup:
        setup(args)
    password = os.environ.get("DEMO_PASSWORD", "MyThoi@2025")
    process = start_gunicorn(args)
    try:
        sessions = {}
        for username in READERS:
            cookies = login(args.port, username, password)
            if cookies is None:
                sys.exit(f"Cannot sign in as demo user {username}: run seed_demo (or check DEMO_PASSWORD)")
            sessions[username] = cookies
        targets, problems = discover(lambda cookies, path: request(args.port, "GET", path, cookies=cookies)[:2],
                                     sessions)
        if problems:
            sys.exit("pages the load test reads are missing or refused:\n  " + "\n  ".join(problems))
        print(f"pages under load ({len(targets)}): " + ", ".join(sorted({f'{u}:{p}' for u, _c, p in targets})))

        recorder = Recorder()
        counts = {"attempted": 0, "acknowledged": 0}
        events = {}
        since_wall = time.time() - 1
        begin = time.monotonic()
        stop_at = begin + args.duration
        threads = [threading.Thread(target=reader, args=(args.port, targets, i, stop_at, recorder), daemon=True)
                   for i in range(args.connections)]
        threads.append(threading.Thread(target=writer, args=(args.port, password, stop_at, counts), daemon=True))
        for thread in threads:
            thread.start()
        if not args.no_restart:
            time.sleep(max(0.0, begin + args.restart_at - time.monotonic()))
            restart_postgres(args, events)
        for thread in threads:
            thread.join(timeout=args.duration + 30)
        elapsed = time.monotonic() - begin
    finally:
        stop(process)

    samples = recorder.samples
    ok_latencies = [end - start for start, end, ok in samples if ok]
    errors = [(start, end) for start, end, ok in samples if not ok]
    print(f"duration {elapsed:.1f} s, {args.connections} connections, {len(samples)} requests, "
          f"{len(ok_latencies)} ok, {len(errors)} errors")
    if ok_latencies:
        print(f"requests per second: {len(ok_latencies) / elapsed:.1f}")
        print(f"latency p50: {percentile(ok_latencies, 0.50) * 1000:.0f} ms, p99: {percentile(ok_latencies, 0.99) * 1000:.0f} ms")
    if errors:
        print("errors by answer: " + ", ".join(f"{answer}: {count}" for answer, count in
                                                sorted(recorder.answers.items(), key=lambda item: str(item[0]))))
    failed = False
    if args.no_restart:
        failed |= bool(errors)  # without an outage, every request must succeed
    else:
        if events.get("restart_rc"):
            print(f"PostgreSQL restart failed: {events.get('restart_error')}")
            failed = True
        restart_begin = events["restart_begin"]
        # Recovered = the first request that started after the restart returned and succeeded.
        recovered = min((end for start, end, ok in samples if ok and start >= events["restart_end"]), default=None)
        if recovered is None:
            print("never recovered after the PostgreSQL restart")
            failed = True
        else:
            during = sum(1 for start, end in errors if end >= restart_begin and start < recovered)
            after = sum(1 for start, _end in errors if start >= recovered)
            before = sum(1 for _start, end in errors if end < restart_begin)
            print(f"errors before the restart: {before}")
            print(f"PostgreSQL restart took {events['restart_end'] - restart_begin:.1f} s")
            print(f"errors during the outage: {during}")
            print(f"seconds to recover: {recovered - restart_begin:.1f}")
            print(f"errors after recovery: {after} (must be 0)")
            failed |= after != 0 or before != 0
    found = rows_found(since_wall)
    print(f"writer: {counts['attempted']} attempted, {counts['acknowledged']} acknowledged, {found} rows found "
          f"({'equal' if found == counts['acknowledged'] else 'NOT EQUAL'})")
    failed |= found != counts["acknowledged"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
