"""The fee facts of the dossiers received before they were recorded on the dossier
(reports/wiring.py keeps them from now on): the fee fixed, whether VietQR was offered, when it
was first paid and whether by bank transfer."""

from django.db import migrations


def backfill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    PaymentRequest = apps.get_model("payments", "PaymentRequest")
    Payment = apps.get_model("payments", "Payment")
    first_paid = {}
    online = set()
    for request_id, method, at in Payment.objects.order_by("at").values_list(
        "request_id", "method", "at"
    ):
        first_paid.setdefault(request_id, at)
        if method == "transfer":
            online.add(request_id)
    batch = []
    for request in PaymentRequest.objects.only(
        "id", "dossier_id", "amount", "status", "payload", "account_id"
    ).iterator():
        dossier = Dossier(pk=request.dossier_id)
        dossier.fee_amount = 0 if request.status == "waived" else request.amount
        dossier.fee_online_offered = bool(request.payload and request.account_id)
        dossier.paid_at = first_paid.get(request.pk)
        dossier.paid_online = request.pk in online
        batch.append(dossier)
    Dossier.objects.bulk_update(
        batch, ["fee_amount", "fee_online_offered", "paid_at", "paid_online"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_index_766"),
        ("dossiers", "0011_reports_facts"),
        ("payments", "0003_receipt_series_characters"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
