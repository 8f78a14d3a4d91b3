"""`xaso payments import-statement FILE --account <id or number> [--map field=title …]`."""

from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xaso.core.errors import DomainError
from xaso.core.text import format_dong
from xaso.payments.models import ReceivingAccount
from xaso.payments.services import transaction_record
from xaso.payments.statements import (
    DEFAULT_COLUMNS,
    FIELDS,
    UnreadableStatement,
    parse_mapping,
    read_statement,
)

IMPORT_HELP = """Record the credits of a bank statement (.csv in UTF-8, or .xlsx) and match them
to dossiers by the transfer reference in their note, like the bank webhook. All or nothing: a
statement with any unreadable cell imports nothing (each one is reported by row and column), and
the rows are recorded in one transaction. Idempotent: a transaction already recorded (by the
webhook, or an earlier import of the same statement) counts as a duplicate and changes nothing.
Debits, zero amounts and lines that are not transactions (totals) are skipped.

Columns are found by their title in the header row (case, spacing and diacritics ignored).
Without --map, the first title present among these is used:
""" + "\n".join(f"  {name}: {' | '.join(DEFAULT_COLUMNS[name])}" for name in FIELDS)


def _account(value: str) -> ReceivingAccount:
    """By account number, else by id (account numbers are digits too: the number wins)."""
    accounts = list(ReceivingAccount.objects.select_related("commune").filter(account_number=value))
    if len(accounts) > 1:
        ids = ", ".join(str(account.pk) for account in accounts)
        raise CommandError(f"several accounts have the number {value}: give its id ({ids})")
    if not accounts and value.isdigit():
        accounts = list(ReceivingAccount.objects.select_related("commune").filter(pk=int(value)))
    if not accounts:
        raise CommandError(f"no receiving account with the number or id {value}")
    return accounts[0]


class Command(BaseCommand):
    help = "Payments: import a bank statement."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser(
            "import-statement",
            help="Record a bank statement's credits and match them to dossiers.",
            description=IMPORT_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        importing.add_argument("file", type=Path, help="the statement, .csv (UTF-8) or .xlsx")
        importing.add_argument(
            "--account",
            required=True,
            help="the receiving account the statement is of: its account number or its id",
        )
        importing.add_argument(
            "--map",
            dest="mapping",
            nargs="+",
            action="extend",
            default=[],
            metavar='FIELD="Column title"',
            help=(
                f"the column of a field ({', '.join(FIELDS)}), e.g. "
                'amount="Số tiền ghi có" occurred_at="Ngày giao dịch"; put it after FILE'
            ),
        )

    def handle(self, *args, action: str, file: Path, account: str, mapping, **options):
        receiving = _account(account)
        try:
            statement = read_statement(file, parse_mapping(mapping))
        except (UnreadableStatement, OSError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        if statement.errors:
            for error in statement.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"{len(statement.errors)} unreadable cell(s) in {file}; nothing was imported"
            )
        counts = {"matched": 0, "unmatched": 0, "duplicate": 0}
        matched_amount = 0
        unmatched = []
        try:
            with transaction.atomic():
                for row in statement.rows:
                    result = transaction_record(
                        account=receiving,
                        transaction_id=row.transaction_id,
                        amount=row.amount,
                        description=row.description,
                        occurred_at=row.occurred_at,
                        source="statement",
                    )
                    counts[result.status] += 1
                    if result.status == "matched":
                        matched_amount += row.amount
                    elif result.status == "unmatched":
                        unmatched.append(row)
        except DomainError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        columns = ", ".join(f"{name}=“{title}”" for name, title in statement.columns.items())
        self.stdout.write(
            f"imported {file} into {receiving} ({columns})\n"
            f"  rows read:  {statement.read}\n"
            f"  matched:    {counts['matched']} ({format_dong(matched_amount)})\n"
            f"  unmatched:  {counts['unmatched']} (to assign by hand)\n"
            f"  duplicates: {counts['duplicate']} (already recorded)\n"
            f"  skipped:    {statement.skipped} (debits, zero amounts, totals)"
        )
        if unmatched and options["verbosity"] >= 1:
            self.stdout.write("unmatched transactions:")
            for row in unmatched:
                self.stdout.write(
                    f"  row {row.row}: {row.transaction_id} {format_dong(row.amount)} "
                    f"“{row.description}”"
                )
