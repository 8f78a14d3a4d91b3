"""F9: every staff read of personal data leaves an access row (`personal_data.view`) in the trail
of the commune the dossier belongs to: the result PDF, the official forms, receipts, the
register, the files offered for reuse, a search by personal ID."""

import pytest

from tests.helpers.staff_endpoints import (
    world_attachment,
    world_dossier,
    world_payment,
    world_result,
)
from xaso.core.models import AuditEntry


def views(commune_code: str) -> list[dict]:
    return list(
        AuditEntry.objects.filter(chain=commune_code, action="personal_data.view").values(
            "actor__username", "object_type", "object_id", "data"
        )
    )


@pytest.mark.parametrize(
    ("path", "purpose"),
    [
        ("/api/v1/results/dossiers/{code}/pdf", "result_download"),
        ("/api/v1/dossiers/{code}/documents/receipt", "document:receipt"),
        ("/api/v1/dossiers/{code}/payments/{receipt}/receipt", "receipt_download"),
        ("/api/v1/dossiers/register?commune=T-A&from=2026-11-01&to=2026-11-30", "register_pdf"),
        ("/api/v1/dossiers/register?commune=T-A&from=2026-11-01&to=2026-11-30&format=xlsx",
         "register_xlsx"),
        ("/api/v1/dossiers/{code}/reusable", "reuse_offer:{code}"),
        ("/api/v1/dossiers?q=066060001234", "dossier_search"),
    ],
)  # fmt: skip
def test_f9_each_personal_data_read_is_logged(world, api, path, purpose):
    dossier = world_dossier(world)
    dossier.applicant = {**dossier.applicant, "personal_id": "066060001234"}
    dossier.save()
    world_result(world)
    payment = world_payment(world)
    if "reusable" in path:  # the file is of an earlier dossier of the same person
        world_attachment(world)
        dossier.pk, dossier.code = None, "T-A-261125-0002"
        dossier.save()
    url = path.format(code=dossier.code, receipt=payment.receipt_number)
    before = len(views("T-A"))
    answer = api.as_user(world.user("reception")).get(url)
    assert answer.status_code == 200, answer.content
    rows = views("T-A")[before:]
    assert [row["data"]["purpose"] for row in rows] == [purpose.format(code=dossier.code)]
    assert rows[0]["actor__username"] == "reception"
