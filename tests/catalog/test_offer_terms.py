"""A commune's local terms of a procedure it offers: a shorter time limit (never longer: Decree
118/2025), the contact line, a flat local fee. Dossiers received afterwards follow them."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import pytest

from tests.dossiers.conftest import at, demo, procedure_submission, submission  # noqa: F401
from xaso.catalog.models import CommuneProcedure
from xaso.catalog.selectors import procedure_terms_for
from xaso.catalog.services import commune_offer_terms_set, local_flat_fee
from xaso.core.errors import DomainError, InvalidInput
from xaso.core.models import AuditEntry
from xaso.dossiers.submission import dossier_submit
from xaso.places.models import Commune

pytestmark = pytest.mark.django_db

THREE_DAYS = "1.004873"  # marital status confirmation: 3 working days nationally
SAME_DAY = "2.000884"  # signature attestation: same day, 10.000 đồng


def terms(demo, code=THREE_DAYS, **changes):
    values = {"limit_amount": None, "limit_unit": "", "contact": "", "flat_fee": None, **changes}
    commune = Commune.objects.get(code="DEMO-PL")
    return commune_offer_terms_set(actor=demo["admin"], commune=commune, code=code, **values)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(3, "working_days"), (1, "working_days"), (23, "working_hours"), ("", "same_day")],
)
def test_a_commune_may_shorten_the_national_limit(demo, amount, unit):
    terms(demo, limit_amount=amount, limit_unit=unit)
    limit = procedure_terms_for(THREE_DAYS, "DEMO-PL").limit
    assert (limit.unit, limit.amount) == (unit, amount or 0)
    assert AuditEntry.objects.filter(action="catalog.offer_terms_set").count() == 1


@pytest.mark.parametrize(
    ("code", "amount", "unit"),
    [(THREE_DAYS, 4, "working_days"), (THREE_DAYS, 25, "working_hours"),
     (SAME_DAY, 1, "working_hours"), (SAME_DAY, 1, "working_days")],
)  # fmt: skip
def test_never_lengthen_it(demo, code, amount, unit):
    with pytest.raises(InvalidInput) as refused:
        terms(demo, code=code, limit_amount=amount, limit_unit=unit)
    assert refused.value.code == "limit_longer_than_national"
    assert not AuditEntry.objects.filter(action="catalog.offer_terms_set").exists()


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(0, "working_days"), ("abc", "working_days"), (2, "fortnights"), (2, ""), (-1, "working_days"),
     ("", "working_days"), ("２", "working_days")],
)  # fmt: skip
def test_a_limit_that_means_nothing_is_refused(demo, amount, unit):
    with pytest.raises(InvalidInput) as refused:
        terms(demo, limit_amount=amount, limit_unit=unit)
    assert refused.value.code == "limit_invalid"


def test_empty_values_go_back_to_the_national_terms(demo):
    terms(demo, limit_amount=1, limit_unit="working_days", flat_fee=5000, contact="  Chị Lan  ")
    offer = CommuneProcedure.objects.get(commune__code="DEMO-PL", procedure__code=THREE_DAYS)
    assert (offer.contact, local_flat_fee(offer)) == ("Chị Lan", 5000)
    terms(demo)
    offer.refresh_from_db()
    assert (offer.limit_amount, offer.limit_unit, offer.fee_override) == (None, "", None)
    assert procedure_terms_for(THREE_DAYS, "DEMO-PL").limit.amount == 3


@pytest.mark.parametrize("fee", [-5, "ten", 10**12, "1,5"])
def test_a_fee_that_is_not_a_whole_number_of_dong_is_refused(demo, fee):
    with pytest.raises(InvalidInput) as refused:
        terms(demo, flat_fee=fee)
    assert refused.value.code == "fee_invalid"


def test_a_withdrawn_procedure_takes_no_terms(demo):
    CommuneProcedure.objects.filter(procedure__code=THREE_DAYS).update(offered=False)
    with pytest.raises(InvalidInput) as refused:
        terms(demo, flat_fee=0)
    assert refused.value.code == "not_offered"


def test_only_the_communes_administrator_sets_them(demo):
    commune = Commune.objects.get(code="DEMO-PL")
    for name in ("reception", "leader", "other-reception"):
        with pytest.raises(DomainError) as refused:
            commune_offer_terms_set(actor=demo[name], commune=commune, code=THREE_DAYS,
                                    limit_amount=1, limit_unit="working_days", contact="",
                                    flat_fee=None)  # fmt: skip
        assert refused.value.status in (403, 404)


def receive(demo, code: str):
    body = procedure_submission(code, "counter")
    return dossier_submit(
        actor=demo["reception"], procedure_code=code, commune_code="DEMO-PL", channel="counter",
        applicant=body["applicant"], answers=body["form"], receive=True,
    ).dossier  # fmt: skip


def test_a_dossier_received_after_a_shorter_limit_is_due_earlier(demo, at):
    at(2026, 11, 24, 9)  # a Tuesday morning
    national = receive(demo, THREE_DAYS)
    terms(demo, limit_amount=1, limit_unit="working_days")
    local = receive(demo, THREE_DAYS)
    assert local.due_at < national.due_at


def test_the_local_fee_is_what_the_applicant_is_asked_to_pay(demo):
    from xaso.payments.models import PaymentRequest

    def fee(dossier) -> int:
        return PaymentRequest.objects.get(dossier=dossier).amount

    assert fee(receive(demo, SAME_DAY)) == 10000
    terms(demo, code=SAME_DAY, flat_fee="0")
    assert fee(receive(demo, SAME_DAY)) == 0
    terms(demo, code=SAME_DAY, flat_fee="25.000")
    assert fee(receive(demo, SAME_DAY)) == 25000
