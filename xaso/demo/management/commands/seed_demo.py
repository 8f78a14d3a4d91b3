from django.conf import settings
from django.core.management.base import BaseCommand

from xaso.demo.dossiers import seed_demo_dossiers
from xaso.demo.figures import seed_demo_figures
from xaso.demo.seed import (
    DEMO_ACCOUNT_HOLDER,
    DEMO_ACCOUNT_NUMBER,
    DEMO_BANK_BIN,
    demo_webhook_secret,
    seed_demo,
)


def payment_try_text() -> str:
    """A shell snippet that pays a dossier's fee as the bank would: a signed webhook."""
    secret = demo_webhook_secret()
    default = " (the default of XASO_DEMO_WEBHOOK_SECRET)" if secret == "xaso-demo-webhook" else ""  # noqa: S105
    url = f"{settings.XASO_PUBLIC_URL.rstrip('/')}/api/v1/payments/webhooks/bank"
    return (
        f"Try a payment: webhook secret '{secret}'{default}. Put the dossier code and its fee in"
        " CODE and AMOUNT, then paste:\n"
        "  CODE=DEMO-PL-...; AMOUNT=8000; ts=$(date +%s)\n"
        f'  body=\'{{"account":"{DEMO_ACCOUNT_NUMBER}","transaction_id":"demo-\'$ts\'",'
        '"amount":\'$AMOUNT\',"description":"\'$CODE\'",'
        '"occurred_at":"\'$(date -Iseconds)\'"}\'\n'
        '  sig=$(printf \'%s.%s\' "$ts" "$body"'
        f" | openssl dgst -sha256 -hmac '{secret}' | sed 's/^.* //')\n"
        f"  curl -sS -X POST {url} -H 'Content-Type: application/json' -H \"X-Xaso-Timestamp: $ts\""
        ' -H "X-Xaso-Signature: sha256=$sig" --data "$body"\n'
        '  (answers {"status": "matched"} when the code and amount match a fee due)'
    )


class Command(BaseCommand):
    help = "Create the demo communes, villages and staff accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            action="store_true",
            help="also the desk's dossiers in every state (once; `xaso demo` asks for them)",
        )

    def handle(self, *args, dossiers: bool = False, **options):
        accounts = seed_demo()
        if dossiers and (made := seed_demo_dossiers()):
            self.stdout.write(f"Demo dossiers: {made}, in every state of the workflow.")
        if dossiers and (past := seed_demo_figures()):
            self.stdout.write(f"Past months for the province's ranking: {past} dossiers.")
        self.stdout.write("Demo accounts (password: XASO_DEMO_PASSWORD, default 'xaso-demo'):")
        for account in accounts:
            where = account.commune or f"province {account.province}"
            self.stdout.write(f"  {account.username:<16} {account.role:<17} {where}")
        if settings.XASO_DEMO_PASSWORD == "xaso-demo":  # noqa: S105 (the documented demo default)
            self.stdout.write("  (the default demo password is public: never expose this demo)")
        self.stdout.write(
            "Second factor of the leader and the admin (TOTP, XASO_DEMO_TOTP_SECRET, default"
            f" 'JBSWY3DPEHPK3PXP'): {settings.XASO_DEMO_TOTP_SECRET} — add it to an authenticator"
            " app (or `oathtool --totp -b <secret>`) and enter its 6-digit code after the password"
        )
        self.stdout.write(
            f"Fee account: Agribank ({DEMO_BANK_BIN}) {DEMO_ACCOUNT_NUMBER} {DEMO_ACCOUNT_HOLDER};"
            " bank webhook POST /api/v1/payments/webhooks/bank with X-Xaso-Timestamp: <unix s> and"
            " X-Xaso-Signature: sha256=HMAC-SHA256(XASO_DEMO_WEBHOOK_SECRET, '<timestamp>.<body>')"
        )
        self.stdout.write(payment_try_text())
