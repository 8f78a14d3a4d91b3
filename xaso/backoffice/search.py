"""The search box of every back-office page: a dossier's code (typed any way) opens it; anything
else lists what it finds in the user's communes, in every state, 25 at a time
(xaso.dossiers.search: the code, the applicant's name without diacritics, a phone, an ID)."""

from django.shortcuts import redirect
from django.utils import timezone

from xaso.dossiers.search import SEARCH_MAX, DossierFilters, search_terms
from xaso.dossiers.selectors import dossier_by_code_for_staff
from xaso.dossiers.workflow import CLOCK_STATES

from .access import page, staff_required
from .all_dossiers import listing, query_string


@staff_required
def search(request):
    text = request.GET.get("q", "").strip()[:SEARCH_MAX]
    # The exact code of one of the user's dossiers (a slip scanned or typed) opens it.
    if text and (found := dossier_by_code_for_staff(request.user, text)):
        return redirect("backoffice:dossier", code=found.code)
    terms = search_terms(text)
    dossiers, next_cursor, error = (
        listing(request, DossierFilters(q=text), purpose="backoffice_search")
        if terms
        else ([], None, "")
    )
    return page(
        request,
        "backoffice/all_dossiers/search.html",
        {
            "search": text,
            "too_short": bool(text) and terms is None,
            "error": error,
            "dossiers": dossiers,
            "next_query": query_string(request.GET, after=next_cursor) if next_cursor else "",
            "list_query": query_string(request.GET),
            "now": timezone.now(),
            "clock_states": CLOCK_STATES,
        },
    )
