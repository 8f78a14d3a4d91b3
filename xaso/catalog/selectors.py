"""Reads of the catalogue: search, one procedure with everything about it, places for forms."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from xaso.core.errors import InvalidInput, NotFound
from xaso.core.text import by_name, format_dong, search_key
from xaso.places.models import Commune, Province, Village
from xaso.workdays.engine import TimeLimit
from xaso.workdays.rules import ProcedureTerms

from .models import (
    CommuneProcedure,
    ExemptionCategory,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    ProvincialFeeRate,
)

PAGE_SIZE = 20
# Words people add that name no procedure ("làm giấy …", "xin …", "thủ tục …").
FILLER_WORDS = frozenset({"lam", "xin", "giay", "thu", "tuc", "cho", "toi", "muon", "can", "ve"})


@dataclass(frozen=True)
class SearchPage:
    count: int
    procedures: list[Procedure]


def _phrase_score(phrase: str, text: str, base: int) -> int:
    """Whole-word containment; shorter texts that contain the phrase rank higher."""
    if phrase == text:
        return base * 2
    if f" {phrase} " in f" {text} ":
        return base - min(len(text) - len(phrase), base // 2)
    return 0


def _score(query: str, words: list[str], code: str, search_text: str) -> int:
    if query == code:
        return 10_000
    components = search_text.split(" | ")
    name, others = components[1], components[2:]
    score = max(
        [_phrase_score(query, name, 1000)] + [_phrase_score(query, other, 800) for other in others]
    )
    text = f" {search_text.replace(' | ', ' ')} "
    matched = sum(f" {word} " in text for word in words)
    if score == 0 and matched < len(words):
        return 0
    return score + 10 * matched


def procedure_search(
    query: str = "", *, field: str = "", commune: Commune | None = None, page: int = 1
) -> SearchPage:
    """Procedures matching the words typed, with or without diacritics, best first.

    The catalogue is small (hundreds of rows), so ranking happens in Python on one narrow query:
    the same results on SQLite and PostgreSQL, and two queries whatever the catalogue's size.
    """
    candidates = Procedure.objects.filter(is_active=True)
    if field:
        candidates = candidates.filter(field__code=field)
    if commune is not None:
        candidates = candidates.filter(offers__commune=commune, offers__offered=True)
    rows = candidates.values_list("id", "code", "search_text")
    key = search_key(query)
    if key:
        words = [word for word in key.split() if word not in FILLER_WORDS] or key.split()
        scored = [(_score(key, words, code, text), code, pk) for pk, code, text in rows]
        ranked = [pk for score, _code, pk in sorted(scored, key=lambda s: (-s[0], s[1])) if score]
    else:
        ranked = [pk for pk, _code, _text in sorted(rows, key=lambda row: row[1])]
    start = (max(page, 1) - 1) * PAGE_SIZE
    page_ids = ranked[start : start + PAGE_SIZE]
    by_id = Procedure.objects.select_related("field").in_bulk(page_ids)
    return SearchPage(count=len(ranked), procedures=[by_id[pk] for pk in page_ids])


def procedure_detail(code: str) -> Procedure:
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related("documents", "steps")
        .filter(code=code, is_active=True)
        .first()
    )
    if procedure is None:
        raise NotFound(_("No procedure has this code."), code="procedure_not_found")
    return procedure


def fields_in_use() -> list[ProcedureField]:
    """The fields (lĩnh vực) that have at least one active procedure, by name: a search filter."""
    active = Procedure.objects.filter(is_active=True).values("field_id")
    return list(ProcedureField.objects.filter(id__in=active))


def exemption_categories(codes: Iterable[str]) -> list[ExemptionCategory]:
    """The exemption categories named by a fee schedule, in the schedule's order."""
    codes = list(codes)
    found = ExemptionCategory.objects.in_bulk(codes, field_name="code")
    return [found[code] for code in codes if code in found]


def fee_summary(schedule: Mapping) -> str:
    """One line for lists: 'Miễn phí', '10.000 ₫', '2.000 ₫/trang', 'Theo mức thu của tỉnh'."""
    texts = []
    for rule in schedule.get("rules", []):
        kind = rule["kind"]
        if kind == "free":
            texts.append(_("Free"))
        elif kind == "flat":
            amount = format_dong(rule["amount"])
            texts.append(
                _("%(amount)s per copy") % {"amount": amount}
                if rule.get("per") == "copy"
                else amount
            )
        elif kind == "per_page":
            texts.append(_("%(amount)s per page") % {"amount": format_dong(rule["rate"])})
        else:
            texts.append(_("rate set by the province"))
        if "channels" in rule:
            texts[-1] = (
                _("%(fee)s if submitted online") % {"fee": texts[-1]}
                if rule["channels"] == ["online"]
                else _("%(fee)s through some channels") % {"fee": texts[-1]}
            )
    if len(texts) > 1 and schedule["rules"][-1]["kind"] == "free":
        return _("Free in most cases; otherwise %(fee)s") % {"fee": ", ".join(texts[:-1])}
    return capfirst("; ".join(dict.fromkeys(texts)))


def provincial_rates(commune: Commune | None) -> dict[str, int]:
    if commune is None:
        return {}
    return dict(
        ProvincialFeeRate.objects.filter(province_id=commune.province_id).values_list(
            "key", "amount"
        )
    )


def commune_offer(commune: Commune, procedure: Procedure) -> CommuneProcedure | None:
    return CommuneProcedure.objects.filter(commune=commune, procedure=procedure).first()


class DatabasePlaces:
    """The `PlaceDirectory` a form validator uses, backed by the places tables."""

    def communes(self, codes: Iterable[str]) -> dict[str, str]:
        return dict(
            Commune.objects.filter(code__in=list(codes)).values_list("code", "province__code")
        )

    def villages(self, commune_codes: Iterable[str]) -> set[tuple[str, str]]:
        return set(
            Village.objects.filter(commune__code__in=list(commune_codes)).values_list(
                "commune__code", "code"
            )
        )


def form_places(*, default_province: str, default_commune: str = "", uploads_of) -> dict:
    """The lists an address field offers and the uploads a file field shows, as
    `web_forms.field_view` takes them (small lists, each read only when a field asks)."""
    return {
        "default_province": default_province,
        "default_commune": default_commune,
        "provinces": lambda: by_name(Province.objects.values("code", "name")),
        "communes_of": lambda province: by_name(
            Commune.objects.filter(province__code=province).values("code", "name")
        ),
        "villages_of": lambda commune: by_name(
            Village.objects.filter(commune__code=commune).values("code", "name")
        ),
        "uploads_of": uploads_of,
    }


def decided_in_commune(procedure: Procedure) -> bool:
    """Whether the commune itself decides (not a higher level or the police it forwards to).

    Read from the level and the inter-agency flag, the catalogue's facts for it today.
    """
    return procedure.level == Procedure.Level.COMMUNE and not procedure.inter_agency


def verification_limit(procedure: Procedure) -> TimeLimit | None:
    """The statutory limit when verification is needed, or None when the law gives none."""
    if not procedure.verification_limit_unit:
        return None
    return TimeLimit(procedure.verification_limit_amount or 0, procedure.verification_limit_unit)


def offer_terms(offer: CommuneProcedure) -> ProcedureTerms:
    """The engine's terms of a procedure as this offer gives it (the commune's local limit)."""
    procedure = offer.procedure
    amount, unit = procedure.limit_amount, procedure.limit_unit
    if offer.limit_unit:
        amount, unit = offer.limit_amount or 0, offer.limit_unit
    return ProcedureTerms(
        code=procedure.code,
        limit=TimeLimit(amount, unit),
        no_proxy_writing=procedure.no_proxy_writing,
        decided_in_commune=decided_in_commune(procedure),
        verification_limit=verification_limit(procedure),
    )


def procedures_covered(commune: Commune, covers: Callable[[ProcedureTerms], bool]) -> list:
    """The procedures the commune offers whose terms `covers` accepts (e.g. a Friday rule's
    `friday_covers`), by code; one query."""
    offers = (
        CommuneProcedure.objects.select_related("procedure")
        .filter(commune=commune, offered=True, procedure__is_active=True)
        .order_by("procedure__code")
    )
    return [offer.procedure for offer in offers if covers(offer_terms(offer))]


def procedure_terms_for(
    code: str, commune_code: str, *, with_verification: bool = False
) -> ProcedureTerms:
    """What the working-day engine needs of a procedure as this commune offers it; with
    `with_verification`, of a dossier received with verification (the statutory longer limit,
    which a commune's shorter local limit does not shorten)."""
    offer = (
        CommuneProcedure.objects.select_related("procedure")
        .filter(commune__code=commune_code, procedure__code=code, procedure__is_active=True)
        .first()
    )
    if offer is None or not offer.offered:
        if not Procedure.objects.filter(code=code, is_active=True).exists():
            raise NotFound(_("No procedure has this code."), code="procedure_not_found")
        raise NotFound(_("This commune does not offer this procedure."), code="not_offered")
    terms = offer_terms(offer)
    if with_verification:
        if terms.verification_limit is None:
            raise InvalidInput(
                _("The law gives this procedure no longer time limit for verification."),
                code="no_verification_limit",
            )
        return terms.verified()
    return terms


def version_in_force(procedure: Procedure, on: date) -> ProcedureVersion | None:
    """The version of the procedure that applies on that day (None: no versions stored, as for a
    procedure imported before versions existed; then its row is the only version)."""
    chosen = None
    for version in procedure.versions.all():  # a handful per procedure; prefetch-friendly
        starts, ends = version.valid_from, version.valid_to
        applies = (starts is None or starts <= on) and (ends is None or on < ends)
        if applies and (chosen is None or (starts or date.min) > (chosen.valid_from or date.min)):
            chosen = version
    return chosen


def version_fact(procedure: Procedure, version: ProcedureVersion | None, key: str):
    """A fact ("fees", "legal_basis") of the version a dossier keeps: the procedure's row while
    that version is still the row's (edits in the admin included), else the stored record."""
    if version is None or version.number == procedure.version:
        return getattr(procedure, key)
    return version.record.get(key, getattr(procedure, key))
