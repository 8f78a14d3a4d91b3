"""Files xaso generates (PDFs, spreadsheets) sent to the browser: one way to name them and to stop
browsers from guessing their type."""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(
    content: bytes, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # A name made of stored data (a receipt series, a code) never breaks the header: control
    # characters go, quotes and non-ASCII letters are encoded (RFC 6266).
    safe_name = re.sub(r"[\x00-\x1f\x7f]+", "-", filename)
    response["Content-Disposition"] = content_disposition_header(not inline, safe_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
