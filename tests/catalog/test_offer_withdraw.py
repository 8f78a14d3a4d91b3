"""A commune stops offering a procedure, and offers it again (back-office administration)."""

import pytest

from xaso.catalog.models import CommuneProcedure, Procedure, ProcedureField
from xaso.catalog.selectors import procedure_terms_for
from xaso.catalog.services import commune_procedures_offer, commune_procedures_withdraw
from xaso.core.errors import NotFound
from xaso.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_withdrawn_procedure_is_no_longer_offered_and_comes_back(world):
    field = ProcedureField.objects.create(code="ho-tich", name="Hộ tịch")
    Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field=field, limit_amount=0,
        limit_unit="same_day", online_level="full", result_type="Giấy khai sinh",
        decider="committee", document_kind="birth_extract",
    )  # fmt: skip
    commune_procedures_offer(actor=None, commune=world.commune)
    assert procedure_terms_for("1.001193", world.commune.code).code == "1.001193"

    assert commune_procedures_withdraw(actor=None, commune=world.commune, codes=["1.001193"]) == 1
    with pytest.raises(NotFound):
        procedure_terms_for("1.001193", world.commune.code)
    assert AuditEntry.objects.filter(action="catalog.withdraw").count() == 1
    assert commune_procedures_withdraw(actor=None, commune=world.commune, codes=["1.001193"]) == 0
    assert CommuneProcedure.objects.filter(commune=world.commune).count() == 1  # kept

    commune_procedures_offer(actor=None, commune=world.commune, codes=["1.001193"])
    assert procedure_terms_for("1.001193", world.commune.code).code == "1.001193"
