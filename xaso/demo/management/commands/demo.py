import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, seed the demo, and serve xaso with its task worker (what `make demo` runs)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, addr: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        # Hashed, gzip- and brotli-compressed static files (XASO_COMPRESSED_STATIC, set by `xaso`).
        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{addr}:{port}"
        self.stdout.write(f"\nxaso demo: {url}/  ·  API docs {url}/api/v1/docs  ·  {url}/healthz")
        self.stdout.write("Stop with Ctrl-C.\n")
        # SQLite: one process, few threads: writers queue on the database lock, not on each other.
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "xaso.wsgi",
                "--bind",
                f"{addr}:{port}",
                "--worker-class",
                "gthread",
                "--workers",
                "1",
                "--threads",
                "4",
                "--no-control-socket",
                "--access-logfile",
                "-",
            ]
        )
        worker = subprocess.Popen([sys.executable, "-m", "xaso", "worker"])
        children = [server, worker]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
