"""CPU time per request through xaso's WSGI application in one process (no gunicorn, no network
client): what the Python side of a request costs, steadier than req/s on a shared machine, and
its wall time (with the database's answers).
`--profile` prints a cProfile of the CPU clock (sorted by cumulative time, `--sort tottime`).

  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/xaso_perf_1m XASO_DEBUG=0 \
    SECRET_KEY="$(cat var/secret_key)" XASO_FIELD_KEY="$(cat var/field_key)" \
    XASO_SIGNING_KEY="$(cat var/signing_key)" ALLOWED_HOSTS=127.0.0.1 XASO_BEHIND_PROXY=0 \
    XASO_RATE_LOOKUP=100000000/m XASO_NOTIFY_LOG_ALLOWED=1 XASO_SSL_REDIRECT=0
  .venv/bin/python bench/request_cpu.py api    # or page, queue (TOKEN=a staff token), health
  .venv/bin/python bench/request_cpu.py api --profile

The lookups come from `xaso bench-data`'s sample (var/bench/lookups.csv)."""

import argparse
import cProfile
import csv
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")

from django.core.wsgi import get_wsgi_application

PATHS = {
    "api": ("/api/v1/dossiers/lookup", "code={code}&secret={secret}"),
    "page": ("/tra-cuu/", "code={code}&secret={secret}"),
    "queue": ("/api/v1/dossiers", "state=returned"),
    "health": ("/healthz", ""),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(PATHS))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    arguments = parser.parse_args()
    application = get_wsgi_application()
    with open(os.environ.get("LOOKUPS", "var/bench/lookups.csv")) as sample_file:
        samples = list(csv.DictReader(sample_file))
    path, query = PATHS[arguments.kind]
    statuses = []

    def one(number: int) -> None:
        sample = samples[number % len(samples)]
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query.format(**sample),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_ACCEPT_ENCODING": "gzip",
        }  # fmt: skip
        if os.environ.get("TOKEN"):
            environ["HTTP_AUTHORIZATION"] = f"Bearer {os.environ['TOKEN']}"
        body = application(environ, lambda status, headers, info=None: statuses.append(status))
        b"".join(body)
        body.close()

    for number in range(50):  # warm: connections, templates, prepared reads
        one(number)
    if not statuses[-1].startswith("200"):
        sys.exit(f"{arguments.kind}: the answer is {statuses[-1]}, not 200")
    if arguments.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for number in range(arguments.requests):
            one(number)
        profile.disable()
        pstats.Stats(profile).sort_stats(arguments.sort).print_stats(60)
        return
    rounds, walls = [], []
    for _ in range(5):
        started, wall = time.process_time(), time.perf_counter()
        for number in range(arguments.requests):
            one(number)
        rounds.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
    # The wall time adds the database's answers (one request at a time: nothing else waits).
    print(f"{arguments.kind}: {min(rounds) / arguments.requests * 1000:.2f} ms of CPU a request, "
          f"{min(walls) / arguments.requests * 1000:.2f} ms of wall time "
          f"(best of 5 × {arguments.requests})")  # fmt: skip


if __name__ == "__main__":
    main()
