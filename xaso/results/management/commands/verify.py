"""`xaso verify FILE.pdf`: is this signed result genuine? Exit 0 when valid, 1 otherwise."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from xaso.core.errors import DomainError
from xaso.results.verification import verify_pdf, verify_seal


class Command(BaseCommand):
    help = (
        "Verify a signed result: prints the answer of POST /api/v1/results/verify as JSON; exits "
        "0 when valid, 1 when tampered, unknown signer, revoked or unreadable."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="the result's PDF")
        parser.add_argument("--seal", help="verify the QR seal's text instead of a PDF")

    def handle(self, *args, file: Path | None, seal: str | None, **options):
        if (file is None) == (seal is None):
            raise CommandError("give a PDF file or --seal TEXT")
        try:
            if seal is not None:
                result = verify_seal(seal)
            else:
                try:
                    data = file.read_bytes()
                except OSError as error:
                    raise CommandError(f"cannot read {file}: {error.strerror}") from error
                result = verify_pdf(data)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            json.dumps(result.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        if not result.valid:
            raise CommandError(f"not valid: {result.status}", returncode=1)
