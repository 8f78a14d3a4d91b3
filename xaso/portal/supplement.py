"""POST /tra-cuu/bo-sung/: the citizen answers a supplement request from the status page.

A plain multipart form (it works without JavaScript): one file input per requested item and a
note. Each file goes through `upload_create` like every upload (type sniffed, images re-encoded
without metadata), counted against the anonymous upload budget; the code and secret are checked
like a lookup. On success, back to the status page, which then says the answer was received; on
an error, the status page again with the error beside the form and nothing recorded.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from xaso.core.errors import DomainError
from xaso.core.ratelimit import rate_limit
from xaso.dossiers.selectors import dossier_supplement_items
from xaso.dossiers.submission import SUPPLEMENT_NOTE_MAX, dossier_resubmit
from xaso.dossiers.uploads import upload_create

from .lookup import FIELD_MAX, find_dossier, lookup_page, status_context, status_url

FILES_PER_ITEM = 5


def _uploaded(request, items: int) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """(item number, upload token) of every file sent, and the first error of each item."""
    files: list[tuple[int, str]] = []
    errors: dict[int, str] = {}
    for item in range(1, items + 1):
        for file in request.FILES.getlist(f"item-{item}")[:FILES_PER_ITEM]:
            try:
                rate_limit(request, "upload", settings.XASO_RATE_ANON_SUBMIT)
                files.append((item, upload_create(actor=None, data=file).token))
            except DomainError as error:
                errors.setdefault(item, str(error.message))
    return files, errors


@require_POST
def supplement_send(request):
    code = request.POST.get("code", "").strip()[:FIELD_MAX]
    secret = request.POST.get("secret", "").strip()[:FIELD_MAX]
    note = request.POST.get("note", "")[:SUPPLEMENT_NOTE_MAX]
    context = {"code": code, "secret": secret}
    try:
        dossier = find_dossier(request, code, secret)
    except DomainError as error:
        context.update(error=error.message, error_code=error.code)
        return lookup_page(request, context, status=error.status)
    files, item_errors = _uploaded(request, len(dossier_supplement_items(dossier)))
    if not item_errors:
        try:
            dossier_resubmit(code=dossier.code, secret=secret, files=files, note=note)
        except DomainError as error:
            item_errors[0] = str(error.message)
            status = error.status
        else:
            return redirect(status_url(dossier.code, secret, supplemented="1"))
    else:
        status = 400
    dossier.refresh_from_db()
    context.update(status_context(dossier), supplement_errors=item_errors, supplement_note=note)
    return lookup_page(request, context, status=status)
