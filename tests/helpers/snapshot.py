"""Build a test world once per test session, then put it back for each test in a few queries.

`snapshot_take(build)` runs `build()` (e.g. the demo seed: the 3,321 communes, the catalogue,
staff, the development PKI — about 1,200 queries) in a transaction, copies every row it added,
and rolls it back. `snapshot_restore(snapshot)` inserts those rows again exactly as they were
(same primary keys, timestamps and hashes: `raw`, as `loaddata` does, so no `auto_now` or
`save()` runs), one bulk insert per table, inside the test's own transaction; a row of the
migrations that the build edited (the calendar's version) is set back to what the build left.
Foreign keys are deferred to commit on SQLite and PostgreSQL alike: the tables' order does not
matter.

A flush (a transactional test before, e.g. a browser test's) empties what the migrations made too
(the Decision 766 index, the holidays): a table of the migrations' rows found empty is filled again
with them, as they were before the build.

Primary keys stay free for the test's own rows: the rolled-back build advanced PostgreSQL's
sequences past them, and SQLite's AUTOINCREMENT counts the restored rows.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction


@dataclass(frozen=True)
class Snapshot:
    rows: dict[type[models.Model], list[models.Model]]  # added by the build
    changed: list[models.Model]  # rows of the migrations that the build edited, as it left them
    migrated: dict[type[models.Model], list[models.Model]]  # the migrations' rows, before it


class _RollBack(Exception):
    pass


def _tables() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _rows(model: type[models.Model]) -> dict:
    return {row.pk: row for row in model._base_manager.order_by("pk")}


def _same(first: models.Model, second: models.Model) -> bool:
    return all(
        field.value_from_object(first) == field.value_from_object(second)
        for field in first._meta.concrete_fields
    )


def snapshot_take(build) -> Snapshot:
    """The rows `build()` adds to the database as it is now (after the migrations)."""
    added: dict[type[models.Model], list[models.Model]] = {}
    changed: list[models.Model] = []
    try:
        with transaction.atomic():
            before = {model: _rows(model) for model in _tables()}
            build()
            for model, old in before.items():
                now = _rows(model)
                gone = [pk for pk in old if pk not in now]
                # Replaying a build that deletes what the migrations made is not supported.
                assert not gone, f"{model._meta.label}: the build deleted rows {gone[:5]}"
                changed += [now[pk] for pk, row in old.items() if not _same(row, now[pk])]
                if new := [row for pk, row in now.items() if pk not in old]:
                    added[model] = new
            raise _RollBack
    except _RollBack:
        pass
    migrated = {model: list(rows.values()) for model, rows in before.items() if rows}
    return Snapshot(added, changed, migrated)


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    fields = model._meta.concrete_fields
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)


def snapshot_restore(snapshot: Snapshot) -> None:
    flushed = [model for model in snapshot.migrated if not model._base_manager.exists()]
    for model in flushed:
        _insert(model, snapshot.migrated[model])
    for model, rows in snapshot.rows.items():
        _insert(model, rows)
    for row in snapshot.changed:
        values = {
            field.attname: field.value_from_object(row) for field in row._meta.concrete_fields
        }
        type(row)._base_manager.filter(pk=row.pk).update(**values)
    _sequences_past_restored_rows([*flushed, *snapshot.rows])


def _sequences_past_restored_rows(models_restored) -> None:
    """A flush between browser tests may set PostgreSQL's sequences back to 1 (the live server's
    transactional tests), under the rows just restored: set each restored table's sequence to its
    highest key, so the test's own rows never collide with them. SQLite needs nothing."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models_restored)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
