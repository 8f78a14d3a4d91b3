"""The civil-status officer records the entry the Ministry's civil-status system gave, as he
must before the leader signs a civil-status result (results.services.register_entry_record)."""

from xaso.accounts.models import User
from xaso.dossiers.models import Dossier
from xaso.results.models import RegisterEntry
from xaso.results.services import register_entry_record


def entered(dossier: Dossier | str, *, officer: str = "specialist") -> Dossier:
    """Record a register entry (the next number of the commune's entries, book of the year; a
    personal ID number for a birth) for a dossier being processed or awaiting signature. Not
    from the dossier's id: PostgreSQL does not roll sequences back between tests."""
    if isinstance(dossier, str):
        dossier = Dossier.objects.get(code=dossier)
    number = (
        RegisterEntry.objects.filter(dossier__deciding_commune=dossier.deciding_commune).count() + 1
    )
    register_entry_record(
        actor=User.objects.get(username=officer),
        dossier=dossier,
        number=str(number),
        book="01/2026",
        personal_id=f"0662{number:08d}",
    )
    return dossier
