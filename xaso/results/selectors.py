"""Reads of signed results: by the citizen's code and secret, by staff (scoped)."""

from xaso.core.errors import NotFound
from xaso.dossiers.selectors import dossier_by_secret, dossier_for_staff

from .models import ResultDocument


def result_by_secret(code: str, secret: str) -> ResultDocument:
    dossier = dossier_by_secret(code, secret)
    document = ResultDocument.objects.filter(dossier=dossier).first()
    if document is None:
        raise NotFound(code="result_not_found")
    return document


def result_for_staff(user, dossier_code: str, *, purpose: str = "result_download"):
    """404 for a dossier outside the user's communes, as for one without a result; the read of
    the result (the holder's personal data) is recorded."""
    dossier = dossier_for_staff(user, dossier_code, purpose=purpose, fields=("result",))
    document = ResultDocument.objects.filter(dossier=dossier).first()
    if document is None:
        raise NotFound(code="result_not_found")
    return document


def result_filename(document: ResultDocument) -> str:
    stem = "".join(c if c.isascii() and c.isalnum() else "-" for c in document.number).strip("-")
    return f"ket-qua-{stem}-{document.year}.pdf"
