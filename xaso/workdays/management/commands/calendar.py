from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from xaso.places.models import Commune, Province
from xaso.workdays.calendars import MAX_YEAR, MIN_YEAR, build_calendar
from xaso.workdays.selectors import describe_day


class Command(BaseCommand):
    help = (
        "The working calendar: `xaso calendar show 2026 [--commune CODE | --province CODE]` "
        "prints the year's non-working weekdays and working weekend days, with reasons."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("show", help="Print the exceptions to the ordinary week.")
        show.add_argument("year", type=int)
        where = show.add_mutually_exclusive_group()
        where.add_argument("--commune", help="a commune's code: its province's changes apply")
        where.add_argument("--province", help="a province's code: its own changes apply")

    def handle(self, *args, action: str, year: int, commune=None, province=None, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
        commune_id = province_id = None
        title = _("national")
        if commune:
            found = Commune.objects.select_related("province").filter(code=commune).first()
            if found is None:
                raise CommandError(f"no commune with code {commune!r}")
            commune_id, province_id = found.pk, found.province_id
            title = f"{found.name} ({found.code}), {found.province.name}"
        elif province:
            found = Province.objects.filter(code=province).first()
            if found is None:
                raise CommandError(f"no province with code {province!r}")
            province_id = found.pk
            title = f"{found.name} ({found.code})"
        entry = build_calendar(base_year=year, province_id=province_id, commune_id=commune_id)

        off, worked, working_days = [], [], 0
        day = date(year, 1, 1)
        while day.year == year:
            described = describe_day(entry, day)
            working_days += described.working
            weekend = day.weekday() >= 5
            if weekend and described.working:
                worked.append(described)
            elif not weekend and not described.working:
                off.append(described)
            day += timedelta(days=1)

        self.stdout.write(
            _("Working calendar %(year)d — %(where)s") % {"year": year, "where": title}
        )
        if entry.is_provisional(year):
            self.stdout.write(
                _(
                    "PROVISIONAL: the table holds no official day off or make-up day for "
                    "%(year)d; these days are the holidays package's, until the government's "
                    "decisions are entered."
                )
                % {"year": year}
            )
        for heading, days in (
            (_("Non-working weekdays:"), off),
            (_("Working weekend days:"), worked),
        ):
            self.stdout.write("")
            self.stdout.write(heading)
            for described in days:
                line = (
                    f"  {described.date.isoformat()} {WEEKDAYS_ABBR[described.date.weekday()]:<4}"
                    f" {described.reason:<18} {described.description}"
                )
                if described.legal_reference:
                    line += f" — {described.legal_reference}"
                    if not described.verified:
                        line += " " + _("(unverified)")
                self.stdout.write(line)
            if not days:
                self.stdout.write("  " + _("(none)"))
        self.stdout.write("")
        self.stdout.write(
            _("%(count)d working days in %(year)d.") % {"count": working_days, "year": year}
        )
