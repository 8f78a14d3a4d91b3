"""Secrets kept out of the logs: a dossier's lookup secret travels in the query string of the
status page and of some API calls (`?code=…&secret=…`), a draft's token in its "resume" link;
whoever reads the access log must not be able to use them.

`redacted(text)` blanks them. `RedactingLogger` is gunicorn's logger with every text of its
lines redacted (request line, path, query, referrer, headers): `gunicorn --logger-class
xaso.core.accesslog.RedactingLogger` (docs/OPERATIONS.md). `RedactSecretsFilter` does the same
for Django's own logs (`django.request`, `django.server`), on the handler in settings.LOGGING.
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
_QUERY_SECRET = re.compile(r"(?i)((?:^|[?&;]|%26|%3F)(?:secret|token)(?:=|%3D))[^&;\s\"']*")
_PATH_TOKEN = re.compile(r"(/(?:drafts|tiep-tuc)/)[^/?\s\"']+")


def redacted(text: str) -> str:
    return _PATH_TOKEN.sub(rf"\1{REDACTED}", _QUERY_SECRET.sub(rf"\1{REDACTED}", text))


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every text atom: the request line, path, query, referrer, and their {…}i / {…}e forms.
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redacted(value) if isinstance(value, str) else value
                for key, value in atoms.items()}  # fmt: skip


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True
