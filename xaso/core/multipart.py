"""One file sent in a multipart body: its OpenAPI description, and the size check made on the
declared Content-Length before Django reads (and spools to disk) a body that is too large."""

# Room for the multipart framing around the file: boundaries, part headers, a CSRF field.
MULTIPART_OVERHEAD = 64 * 1024

FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    },
}


def declared_too_large(request, limit: int) -> bool:
    """True when the body the client announces cannot be one file of at most `limit` bytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > limit + MULTIPART_OVERHEAD
