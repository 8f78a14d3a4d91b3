"""Rows that many transactions update one at a time: an audit chain's head, the day's dossier
counter, the year's receipt counter."""

from django.db import models


def locked_row(model: type[models.Model], **key):
    """The row with this key, created if missing, locked until the transaction ends.

    The row almost always exists: lock it first (one statement). When missing, creating with
    ignore_conflicts means two transactions never both create it (the unique constraint
    decides); then they queue on the row lock (on SQLite, on the IMMEDIATE transaction). Call
    inside a transaction."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is not None:
        return row
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    return model.objects.select_for_update().get(**key)


def counter_next(model: type[models.Model], **key) -> int:
    """The next number of a gap-free counter (a model with a `last` field)."""
    row = locked_row(model, **key)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
