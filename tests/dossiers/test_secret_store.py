"""Lookup secrets at rest: a keyed hash and an encrypted copy in the database, never the secret."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import hashlib
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.dossiers.conftest import demo, staff, submission  # noqa: F401
from tests.helpers.api import ApiClient
from tests.helpers.staff_endpoints import world_dossier
from tests.helpers.world import build_world
from xaso.dossiers.models import Dossier

LOOKUP = "/api/v1/dossiers/lookup"


def created_online() -> tuple[str, str]:
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    return created["code"], created["lookup_secret"]


def lookup(code: str, secret: str):
    return ApiClient().get(f"{LOOKUP}?{urlencode({'code': code, 'secret': secret})}")


def row_as_text(code: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM dossiers_dossier WHERE code = %s", [code])
        return " ".join(str(value) for value in cursor.fetchone())


def test_a_database_reader_finds_neither_the_secret_nor_its_plain_hash(staff):
    code, secret = created_online()
    stored = row_as_text(code)
    assert secret not in stored
    assert hashlib.sha256(secret.encode()).hexdigest() not in stored
    # The citizen's lookup still works with what the slip prints, however it is typed.
    assert lookup(code, f" {secret.lower()} ").status_code == 200


def test_a_stored_hash_copied_in_as_the_secret_opens_nothing(staff):
    code, _secret = created_online()
    stolen = Dossier.objects.get(code=code).lookup_secret_digest
    answer = lookup(code, stolen[:32])
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "dossier_not_found"


def test_the_hash_is_keyed_another_field_key_opens_nothing(staff, settings):
    code, secret = created_online()
    settings.XASO_FIELD_KEY = "b3RoZXIta2V5LW5vdC10aGUtc2FtZS0wMTIzNDU2Nzg="
    assert lookup(code, secret).status_code == 404


def test_the_receipt_can_still_print_the_secret(staff):
    code, secret = created_online()
    assert Dossier.objects.get(code=code).lookup_secret == secret


BEFORE = [("dossiers", "0004_dossier_result_delivery")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_and_seals_the_secrets_already_stored():
    dossier = world_dossier(build_world())  # lookup secret ABCDEFGH23
    try:
        MigrationExecutor(connection).migrate(BEFORE)  # back: the secret in plain text again
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert old.get_model("dossiers", "Dossier").objects.get(pk=dossier.pk).lookup_secret == (
            "ABCDEFGH23"
        )
    finally:  # forward again even when going back failed: the next tests need every table
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.lookup_secret == "ABCDEFGH23"
    assert dossier.lookup_secret_matches("abcdefgh23")
    assert not dossier.lookup_secret_matches("ABCDEFGH24")
    assert "ABCDEFGH23" not in row_as_text(dossier.code)
