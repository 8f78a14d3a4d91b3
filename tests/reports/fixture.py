"""A hand-computed fixture for the index: twelve dossiers of commune T-A filed in October 2026
(and two that must not count), every fact set by hand so that each indicator's points can be
worked out on paper (the table in test_index.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from xaso.catalog.models import CommuneProcedure, Procedure, ProcedureField
from xaso.dossiers.models import Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def t(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


def procedure(code: str, field: str, online: str, *, legal=True) -> Procedure:
    field_row, _ = ProcedureField.objects.get_or_create(code=field, defaults={"name": field})
    return Procedure.objects.create(
        code=code, name=f"Thủ tục {code}", field=field_row, limit_amount=3,
        limit_unit="working_days", online_level=online, result_type="Giấy", decider="chairman",
        document_kind="decision",
        legal_basis=[{"kind": "Nghị định", "number": "1/2026"}] if legal else [],
    )  # fmt: skip


def dossier(commune, proc, n, *, channel, state, submitted, received=True, due=None, end=None,
            returned=None, outcome="", original_due=None, rounds=0, fee=None, qr=False,
            paid_online=False, e_result=False, delivered=False, components=(0, 0, 0, 0),
            identity="", rating=None, synced=False) -> Dossier:  # fmt: skip
    total, with_file, reused, store = components
    d = Dossier(
        code=f"T-A-{n:04d}", receiving_commune=commune, deciding_commune=commune,
        procedure=proc, applicant={"full_name": f"Người {n}"}, channel=channel, state=state,
        outcome=outcome, submitted_at=submitted,
        received_at=submitted if received else None, due_at=due, completed_at=end,
        returned_at=returned, original_due_at=original_due, extended=original_due is not None,
        supplement_rounds=rounds, fee_amount=fee, fee_online_offered=qr,
        paid_online=paid_online, paid_at=end if paid_online else None,
        e_result_issued_at=end if e_result else None,
        e_result_delivered_at=returned if delivered else None,
        components_total=total, components_with_file=with_file, components_reused=reused,
        components_from_store=store, identity_check=identity, rating=rating,
        national_sync="synced" if synced else "pending",
    )  # fmt: skip
    d.lookup_secret = "secret"
    d.save()
    return d


def build(world) -> None:
    commune = world.commune
    p1 = procedure("1.000001", "ho-tich", "full")
    p2 = procedure("2.000002", "chung-thuc", "partial")
    p3 = procedure("3.000003", "ho-tich", "full", legal=False)
    for proc in (p1, p2, p3):
        CommuneProcedure.objects.create(commune=commune, procedure=proc)
    ok = {"state": "returned", "outcome": "approved"}
    dossier(commune, p1, 1, channel="online", **ok, submitted=t(10, 1), due=t(10, 5, 17),
            end=t(10, 3), returned=t(10, 3, 14), fee=8000, qr=True, paid_online=True,
            e_result=True, delivered=True, components=(2, 2, 1, 0), identity="account",
            rating=5, synced=True)  # fmt: skip
    dossier(commune, p1, 2, channel="online", **ok, submitted=t(10, 2), due=t(10, 6, 17),
            end=t(10, 8), returned=t(10, 8, 14), fee=8000, qr=True, e_result=True,
            components=(2, 2, 0, 0), identity="account", rating=2)  # fmt: skip
    dossier(commune, p1, 3, channel="counter", **ok, submitted=t(10, 5), due=t(10, 7, 17),
            end=t(10, 7, 9), returned=t(10, 7, 15), fee=8000, qr=True, paid_online=True,
            e_result=True, components=(2, 2, 0, 1), identity="cccd_qr", rating=4,
            synced=True)  # fmt: skip
    dossier(commune, p1, 4, channel="counter", state="processing", submitted=t(10, 14),
            due=t(10, 20, 17), fee=8000, qr=True, components=(2, 1, 0, 0),
            identity="cccd_qr")  # fmt: skip
    dossier(commune, p1, 5, channel="online", state="processing", submitted=t(10, 30),
            due=t(11, 10, 17), fee=0, components=(2, 2, 0, 0), identity="account",
            synced=True)  # fmt: skip
    dossier(commune, p1, 6, channel="post", **ok, submitted=t(10, 2), due=t(10, 9, 17),
            end=t(10, 8), returned=t(10, 8, 16), rounds=2, fee=8000, qr=True,
            paid_online=True, e_result=True, components=(2, 2, 0, 0), rating=1,
            synced=True)  # fmt: skip
    dossier(commune, p1, 7, channel="online", state="submitted", submitted=t(10, 31, 20),
            received=False, components=(2, 2, 0, 0), identity="account")  # fmt: skip
    dossier(commune, p2, 8, channel="counter", **ok, submitted=t(10, 6), due=t(10, 15, 17),
            original_due=t(10, 10, 17), end=t(10, 12), returned=t(10, 12, 15), fee=10000,
            e_result=True, components=(1, 1, 0, 0), identity="cccd_qr", rating=3,
            synced=True)  # fmt: skip
    dossier(commune, p2, 9, channel="counter", **ok, submitted=t(10, 9), due=t(10, 14, 17),
            end=t(10, 13), returned=t(10, 13, 15), fee=10000, qr=True,
            components=(1, 0, 0, 0), rating=5, synced=True)  # fmt: skip
    dossier(commune, p2, 10, channel="counter", state="refused", submitted=t(10, 12),
            received=False, end=t(10, 12, 11), components=(1, 1, 0, 0),
            synced=True)  # fmt: skip
    dossier(commune, p2, 11, channel="assisted", state="paused", submitted=t(10, 1),
            due=t(10, 5, 17), rounds=1, fee=10000, qr=True, components=(1, 1, 1, 0),
            identity="cccd_qr", synced=True)  # fmt: skip
    dossier(commune, p1, 12, channel="community", state="awaiting_signature",
            submitted=t(10, 20), due=t(10, 30, 17), original_due=t(10, 28, 17), fee=8000,
            qr=True, paid_online=True, components=(2, 2, 0, 0), synced=True)  # fmt: skip
    # Not in the period, or not this commune's: they must change nothing.
    dossier(commune, p1, 13, channel="counter", state="processing", submitted=t(9, 30, 16),
            due=t(10, 2, 17), fee=8000)  # fmt: skip
    dossier(world.other_commune, p1, 14, channel="counter", state="processing",
            submitted=t(10, 3), due=t(10, 4, 17), fee=8000)  # fmt: skip
