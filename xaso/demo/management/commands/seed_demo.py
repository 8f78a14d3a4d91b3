from django.conf import settings
from django.core.management.base import BaseCommand

from xaso.demo.seed import DEMO_ACCOUNT_HOLDER, DEMO_ACCOUNT_NUMBER, DEMO_BANK_BIN, seed_demo


class Command(BaseCommand):
    help = "Create the demo communes, villages and staff accounts (idempotent)."

    def handle(self, *args, **options):
        accounts = seed_demo()
        self.stdout.write("Demo accounts (password: XASO_DEMO_PASSWORD, default 'xaso-demo'):")
        for account in accounts:
            where = account.commune or f"province {account.province}"
            self.stdout.write(f"  {account.username:<16} {account.role:<17} {where}")
        if settings.XASO_DEMO_PASSWORD == "xaso-demo":  # noqa: S105 (the documented demo default)
            self.stdout.write("  (the default demo password is public: never expose this demo)")
        self.stdout.write(
            f"Fee account: Agribank ({DEMO_BANK_BIN}) {DEMO_ACCOUNT_NUMBER} {DEMO_ACCOUNT_HOLDER};"
            " bank webhook POST /api/v1/payments/webhooks/bank with X-Xaso-Timestamp: <unix s> and"
            " X-Xaso-Signature: sha256=HMAC-SHA256(XASO_DEMO_WEBHOOK_SECRET, '<timestamp>.<body>')"
        )
