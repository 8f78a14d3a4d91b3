"""The civil-status officer records the entry the Ministry's civil-status system gave, as he
must before the leader signs a civil-status result (results.services.register_entry_record)."""

from xaso.accounts.models import User
from xaso.dossiers.models import Dossier
from xaso.results.services import register_entry_record


def entered(dossier: Dossier | str, *, officer: str = "specialist") -> Dossier:
    """Record a register entry (number from the dossier's id, book of the year; a personal ID
    number for a birth) for a dossier being processed or awaiting signature."""
    if isinstance(dossier, str):
        dossier = Dossier.objects.get(code=dossier)
    register_entry_record(
        actor=User.objects.get(username=officer),
        dossier=dossier,
        number=str(dossier.pk),
        book="01/2026",
        personal_id=f"{dossier.pk:012d}",
    )
    return dossier
