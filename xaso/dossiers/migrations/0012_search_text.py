"""The applicant's search text (name without diacritics, phone, personal ID), filled for the
dossiers that exist, and on PostgreSQL its trigram index (pg_trgm): the back office's search
answers "contains" on a million dossiers from the index (bench/search.py)."""

import re
import unicodedata

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 2000
INDEX = "dossier_search_text_trgm"


# A copy of dossiers.search.applicant_search_text as it was when this migration was written.
def _words(text):
    text = unicodedata.normalize("NFD", text.translate(str.maketrans({"Đ": "D", "đ": "d"})))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def _digits(text):
    digits = re.sub(r"[\s.\-]", "", str(text or ""))
    digits = "0" + digits[3:] if digits.startswith("+84") else digits
    return re.sub(r"\D", "", digits)


def search_text(applicant):
    applicant = applicant or {}
    tokens = [
        *_words(str(applicant.get("full_name") or "")),
        _digits(applicant.get("phone") or ""),
        _digits(applicant.get("personal_id") or ""),
    ]
    tokens = [token for token in tokens if token]
    return f" {' '.join(tokens)} " if tokens else ""


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.only("pk", "applicant").iterator(chunk_size=BATCH):
        dossier.search_text = search_text(dossier.applicant)
        batch.append(dossier)
        if len(batch) >= BATCH:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    Dossier.objects.bulk_update(batch, ["search_text"])


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: LIKE over the column, fine at a commune's size
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
        "USING gin (search_text gin_trgm_ops)"
    )


class TrigramExtensionKept(TrigramExtension):
    """Going back leaves pg_trgm installed: other schemas may use it, and Django's own backwards
    queries pg_extension even on SQLite."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0011_reports_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        TrigramExtensionKept(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; nothing on SQLite
        migrations.RunPython(index_create, index_drop),
    ]
