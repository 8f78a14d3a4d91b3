"""/chi-so/: the public transparency page of a commune's Decision 766 index (issue 18 item 4),
as the National Portal publishes the indexes: the total, each group and indicator with its
points and share, the year so far and the last months. Aggregate figures only: no dossier and
no person is ever named. Light (server-drawn SVG, no JavaScript)."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.errors import DomainError
from xaso.reports.counters import Period
from xaso.reports.selectors import public_communes, public_index
from xaso.reports.svg import bars, figure


def index_page(request):
    communes = list(public_communes())
    code = request.GET.get("commune", "")[:40] or (communes[0].code if len(communes) == 1 else "")
    context = {"communes": communes, "code": code}
    if code:
        today = timezone.localdate()
        period = Period(date(today.year, 1, 1), today)
        try:
            commune, result = public_index(code, period)
        except DomainError as error:
            raise Http404 from error
        context.update(
            commune=commune,
            period=period,
            result=result,
            chart=bars(
                [(g.code, float(g.points), float(g.max_points)) for g in result.groups],
                title=_("Points by group"),
            ),
            indicators=[
                (
                    i,
                    figure(100 * i.numerator / i.denominator) if i.denominator else "—",
                )
                for i in result.indicators()
            ],
        )
    return render(request, "portal/transparency.html", context)
