import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xaso.core.audit import audit_record, audit_verify, personal_data_view_log
from xaso.core.models import AuditEntry


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
