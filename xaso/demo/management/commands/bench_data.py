"""`xaso bench-data --communes 100 --years 5 --dossiers 1000000 --seed 1`: bench dossiers."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from xaso.core.text import thousands
from xaso.demo.bench_data import bench_data


class Command(BaseCommand):
    help = (
        "Fill the database with a province's years of dossiers in every state, with their "
        "events, payments, results and audit rows (PostgreSQL COPY). For benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=100)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers", type=int, default=2, help="communes written side by side (PostgreSQL)"
        )
        parser.add_argument(
            "--now",
            default="",
            help="the moment the data ends (ISO 8601 with offset; default: now): with the same "
            "seed and moment, the same dossiers",
        )

    def handle(self, *args, **options):
        if options["communes"] < 1 or options["dossiers"] < 0 or options["years"] < 1:
            raise CommandError("--communes and --years must be at least 1.")
        now = None
        if options["now"]:
            now = datetime.fromisoformat(options["now"])
            if now.tzinfo is None:
                raise CommandError("--now needs an offset, e.g. 2026-12-02T17:00+07:00.")
        totals = bench_data(
            communes=options["communes"],
            years=options["years"],
            dossiers=options["dossiers"],
            seed=options["seed"],
            workers=options["workers"],
            now=now,
            progress=lambda line: self.stdout.write(line),
        )
        self.stdout.write(
            f"{thousands(totals.dossiers)} dossiers, {thousands(totals.events)} events, "
            f"{thousands(totals.payments)} payments, {thousands(totals.results)} results, "
            f"{thousands(totals.audit)} audit rows in {totals.seconds:.0f} s "
            f"({totals.writing:.0f} s of COPY, summed over the workers)"
        )
        self.stdout.write(
            "states: " + ", ".join(f"{k} {thousands(v)}" for k, v in sorted(totals.states.items()))
        )
