from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection

from xaso.core.audit import (
    CHAIN_KEYED,
    audit_record,
    audit_verify,
    entry_hash,
    personal_data_view_log,
)
from xaso.core.models import AuditChainHead, AuditEntry


@pytest.fixture
def chain(db):
    return [
        audit_record(
            actor=None,
            action="village.create",
            object_type="village",
            object_id=f"T-A/{n}",
            commune_code="T-A",
            data={"name": f"Thôn {n}", "households": n},
        )
        for n in range(5)
    ]


def verify_output() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    return str(raised.value)


def test_an_intact_trail_verifies(chain, capsys):
    call_command("audit", "verify")
    assert "audit trail intact: 5 rows" in capsys.readouterr().out
    assert [entry.prev_hash for entry in chain[1:]] == [entry.hash for entry in chain[:-1]]


@pytest.mark.parametrize(
    "column, value",
    [
        ("data", '{"name": "Thôn giả", "households": 2}'),
        ("action", "village.delete"),
        ("object_id", "T-A/99"),
        ("at", "2020-01-01 00:00:00+00:00"),
        ("chain", "T-B"),
        ("hash", "0" * 64),
    ],
)
def test_editing_any_column_by_sql_is_found_and_the_row_named(chain, capsys, column, value):
    victim = chain[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_auditentry SET {column} = %s WHERE id = %s",  # noqa: S608 (test)
            [value, victim.pk],
        )
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert f"row {victim.pk}:" in capsys.readouterr().err


def test_a_deleted_row_is_found_at_the_next_row(chain, capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert f"row {chain[2].pk}: previous hash" in capsys.readouterr().err


def test_rows_deleted_from_the_end_are_found(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [chain[-1].pk])
    [chain_break] = audit_verify()
    assert chain_break.entry_id is None and "rows removed" in chain_break.reason


def test_the_orm_refuses_to_change_or_delete_audit_rows(chain):
    entry = chain[0]
    entry.action = "something else"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _rehash_by_sql(chain_code: str) -> None:
    """What a database writer without the key does after an edit: recompute every row's hash
    as the plain SHA-256 the chain had before it was keyed, relink the rows, fix the head."""
    previous = ""
    for entry in AuditEntry.objects.filter(chain=chain_code).order_by("id"):
        entry.prev_hash = previous
        previous = entry_hash(entry, keyed=False)
        _sql(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [entry.prev_hash, previous, entry.pk],
        )
    _sql("UPDATE core_auditchainhead SET last_hash = %s WHERE chain = %s", [previous, chain_code])


def test_an_edit_then_the_chain_recomputed_by_sql_is_found(chain, capsys):
    victim = chain[2]
    _sql(
        "UPDATE core_auditentry SET data = %s WHERE id = %s",
        ['{"name": "Thôn giả", "households": 2}', victim.pk],
    )
    _rehash_by_sql("T-A")
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    # The first row already fails: without the key nobody can write a valid hash.
    assert f"row {chain[0].pk}: content does not match" in capsys.readouterr().err


def test_rows_cut_off_the_end_with_the_head_rewritten_are_found(chain):
    _sql("DELETE FROM core_auditentry WHERE id = %s", [chain[-1].pk])
    _sql(
        "UPDATE core_auditchainhead SET last_hash = %s, length = 4 WHERE chain = 'T-A'",
        [chain[-2].hash],
    )
    [chain_break] = audit_verify()
    assert chain_break.entry_id is None and "head was rewritten" in chain_break.reason


@pytest.fixture
def plain_chain(chain):
    """The chain as xaso wrote it before the key: plain SHA-256 hashes, head without HMAC; then
    the upgrade migration."""
    _rehash_by_sql("T-A")
    _sql("UPDATE core_auditchainhead SET mac = '' WHERE chain = 'T-A'", [])
    import_module("xaso.core.migrations.0004_audit_chain_keyed").chains_key(django_apps, None)
    return list(AuditEntry.objects.filter(chain="T-A").order_by("id"))


def test_a_chain_begun_with_plain_hashes_is_continued_keyed_and_verifies(plain_chain):
    marker = plain_chain[-1]
    assert [entry.action for entry in plain_chain[-2:]] == ["village.create", CHAIN_KEYED]
    assert marker.data == {"scheme": "hmac-sha256", "plain_rows": 5}
    assert marker.prev_hash == plain_chain[-2].hash
    assert AuditChainHead.objects.get(chain="T-A").length == 6
    audit_record(actor=None, action="village.create", commune_code="T-A")
    assert audit_verify() == []


def test_a_plain_row_edited_and_rehashed_before_the_marker_is_found(plain_chain):
    victim = plain_chain[1]
    _sql("UPDATE core_auditentry SET object_id = 'T-A/99' WHERE id = %s", [victim.pk])
    previous = ""
    for entry in AuditEntry.objects.filter(chain="T-A", id__lt=plain_chain[-1].pk).order_by("id"):
        entry.prev_hash = previous
        previous = entry_hash(entry, keyed=False)
        _sql(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [entry.prev_hash, previous, entry.pk],
        )
    [chain_break] = audit_verify()
    assert chain_break.entry_id == plain_chain[-1].pk  # the marker no longer follows its row


def test_renaming_the_marker_to_pass_plain_hashes_off_is_found(plain_chain):
    _sql("UPDATE core_auditentry SET action = 'village.create' WHERE id = %s", [plain_chain[-1].pk])
    _rehash_by_sql("T-A")
    [chain_break] = audit_verify()
    assert chain_break.entry_id == plain_chain[0].pk


def test_chains_are_per_commune(chain):
    other = audit_record(actor=None, action="village.create", commune_code="T-B")
    assert other.prev_hash == ""
    assert audit_verify() == []


def test_personal_data_view_is_logged_with_fields_and_purpose(world):
    entry = personal_data_view_log(
        actor=world.user("reception"),
        object_type="dossier",
        object_id="DEMO-PL-261125-0001",
        fields=["personal_id", "address"],
        commune_code="T-A",
        purpose="reception",
    )
    entry.refresh_from_db()
    assert entry.action == "personal_data.view"
    assert entry.actor == world.user("reception")
    assert entry.data == {"fields": ["address", "personal_id"], "purpose": "reception"}
