import hashlib
import math

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from xaso.catalog.legal import in_force, legal_basis_label
from xaso.catalog.models import Procedure, RequiredDocument
from xaso.catalog.selectors import (
    PAGE_SIZE,
    exemption_categories,
    fee_summary,
    fields_in_use,
    procedure_detail,
    procedure_search,
)
from xaso.catalog.texts import copies_text, time_limit_text
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import NotFound
from xaso.dossiers.selectors import most_requested_procedures

from .pdf import font_urls, one_page_pdf, qr_data_uri

QUERY_MAX_LENGTH = 200
MAX_PAGE = 1000
GUIDE_CACHE_SECONDS = 24 * 3600
GUIDE_DENSITIES = ("", "compact", "tight")  # CSS classes of the guide, roomiest first


def home(request):
    return render(request, "portal/home.html", {"popular": most_requested_procedures()})


def favicon(request):
    """Browsers ask for /favicon.ico even on JSON pages; resolved per request because the
    hashed static name is only known once collectstatic has run."""
    return redirect(static("portal/favicon.svg"), permanent=True)


# --- Words for the catalogue's data (presentation only: the rules live in the catalog app) -----


REPLACEMENT_NOTES = {
    RequiredDocument.Replacement.NATIONAL_DATABASE: gettext_lazy(
        "Can be looked up in the national database: you may not need to bring it."
    ),
    RequiredDocument.Replacement.REUSED_DOCUMENT: gettext_lazy(
        "Can be reused from an earlier dossier: you may not need to bring it again."
    ),
}

FACT_NAMES = {
    "time_limit": gettext_lazy("time limit"),
    "fees": gettext_lazy("fees"),
    "documents": gettext_lazy("documents to bring"),
    "form": gettext_lazy("form"),
    "legal_basis": gettext_lazy("legal basis"),
    "process": gettext_lazy("internal process"),
    "result_type": gettext_lazy("result"),
}


def _document_rows(procedure: Procedure) -> list[dict]:
    return [
        {
            "name": document.name,
            "copies": copies_text(document),
            "required": document.requirement == RequiredDocument.Requirement.REQUIRED,
            "condition": document.condition,
            "explanation": document.explanation,
            "replacement": str(REPLACEMENT_NOTES.get(document.replaceable_by, "")),
        }
        for document in procedure.documents.all()
    ]


def _legal_basis(procedure: Procedure) -> list[str]:
    today = timezone.localdate()
    return [legal_basis_label(item) for item in procedure.legal_basis if in_force(item, today)]


def _free_by_default(schedule: dict) -> bool:
    rules = schedule.get("rules", [])
    return len(rules) > 1 and rules[-1]["kind"] == "free" and "when" not in rules[-1]


def _unverified_facts(procedure: Procedure) -> list[str]:
    return [str(FACT_NAMES[fact]) for fact in procedure.unverified if fact in FACT_NAMES]


def _procedure_context(procedure: Procedure) -> dict:
    return {
        "procedure": procedure,
        "time_limit": time_limit_text(procedure),
        "fee": fee_summary(procedure.fees),
        "exemptions": exemption_categories(procedure.fees.get("exemptions", [])),
        # "Free on time for everyone": the exemptions only concern the fee of the other cases,
        # and nobody is asked for proof when nothing is due (on-time birth registration).
        "free_by_default": _free_by_default(procedure.fees),
        "documents": _document_rows(procedure),
        "legal_basis": _legal_basis(procedure),
        "unverified_facts": _unverified_facts(procedure),
        "online_full": procedure.online_level == Procedure.OnlineLevel.FULL,
    }


def _procedure_or_404(code: str) -> Procedure:
    try:
        return procedure_detail(code)
    except NotFound as error:
        raise Http404(str(error.message)) from error


# --- Pages ----------------------------------------------------------------------------------------


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def catalogue(request):
    """/thu-tuc/?q=&field=&page= — search the procedures; a plain GET form, no JavaScript."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    fields = fields_in_use()
    field = request.GET.get("field", "")
    if field not in {f.code for f in fields}:
        field = ""
    page = _page_number(request.GET.get("page"))
    found = procedure_search(query, field=field, page=page)
    pages = max(math.ceil(found.count / PAGE_SIZE), 1)
    if page > pages:  # a stale or edited link: show the last page rather than nothing
        page = pages
        found = procedure_search(query, field=field, page=page)

    def page_url(number: int) -> str:
        params = {key: value for key, value in (("q", query), ("field", field)) if value}
        if number > 1:
            params["page"] = number
        return f"{request.path}?{urlencode(params)}" if params else request.path

    results = [
        {
            "code": procedure.code,
            "name": procedure.name,
            "field": procedure.field.name,
            "time_limit": time_limit_text(procedure),
            "fee": fee_summary(procedure.fees),
            "url": reverse("portal:procedure", args=[procedure.code]),
        }
        for procedure in found.procedures
    ]
    return render(
        request,
        "portal/catalogue.html",
        {
            "query": query,
            "field": field,
            "fields": fields,
            "count": found.count,
            "results": results,
            "page": page,
            "pages": pages,
            "previous_url": page_url(page - 1) if page > 1 else "",
            "next_url": page_url(page + 1) if page < pages else "",
            "filtered": bool(query or field),
        },
    )


def procedure(request, code: str):
    """/thu-tuc/<code>/ — what to bring, how long, how much, where, and the way to submit."""
    found = _procedure_or_404(code)
    page_url = reverse("portal:procedure", args=[found.code])
    return render(
        request,
        "portal/procedure.html",
        {
            **_procedure_context(found),
            "submit_url": f"{page_url}nop/",  # the form itself comes with the portal issue
            "guide_url": reverse("portal:procedure_guide", args=[found.code]),
            "catalogue_url": reverse("portal:catalogue"),
        },
    )


def procedure_guide(request, code: str):
    """/thu-tuc/<code>/huong-dan.pdf — a one-page printable guide, in Vietnamese whatever the
    visitor's language: it is for the notice board and the kiosk's printer."""
    found = _procedure_or_404(code)
    page_url = request.build_absolute_uri(reverse("portal:procedure", args=[found.code]))
    # Rendering takes a good part of a second: keep each version of the guide once made.
    version = f"{found.code}|{found.updated_at.isoformat()}|{page_url}"
    key = "portal:guide:" + hashlib.sha256(version.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        with translation.override("vi"):
            context = {
                **_procedure_context(found),
                "page_url": page_url,
                "qr": qr_data_uri(page_url),
                "fonts": font_urls(),
            }
            pdf = one_page_pdf(
                lambda density: render_to_string(
                    "portal/procedure_guide.html", {**context, "density": density}
                ),
                GUIDE_DENSITIES,
            )
        cache.set(key, pdf, GUIDE_CACHE_SECONDS)
    return file_response(pdf, f"huong-dan-{found.code}.pdf", PDF, inline=True)
