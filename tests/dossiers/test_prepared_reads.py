"""Prepared reads (xaso.core.prepared): the ORM's SQL compiled once per connection, then run with
new values — the same rows and instances as the plain QuerySet, compiled once, and refused where
the compiled SQL could not stand for the query (a value the ORM transforms, a chained query)."""

from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, submit
from xaso.core.prepared import PreparedRead
from xaso.dossiers.models import Dossier
from xaso.places.models import Commune


def commune_with_province(code: str):
    return Commune.objects.select_related("province").filter(code=code)


def test_a_prepared_read_gives_the_rows_of_its_queryset_for_each_value(staff):
    read = PreparedRead(commune_with_province, "")
    for code in ("DEMO-PL", "DEMO-TN", "NO-SUCH-COMMUNE"):
        prepared = list(read(code))
        plain = list(commune_with_province(code))
        assert [(c.pk, c.name, c.province.name) for c in prepared] == [
            (c.pk, c.name, c.province.name) for c in plain
        ]
    (commune,) = read("DEMO-PL")
    assert commune.code == "DEMO-PL" and type(commune).province.is_cached(commune)


def test_the_columns_are_converted_as_the_orm_converts_them(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    key = Dossier.objects.get(code=created["code"]).code_key
    read = PreparedRead(
        lambda k: Dossier.objects.only("code", "submitted_at", "answers").filter(code_key=k), ""
    )
    (prepared,) = read(key)
    plain = Dossier.objects.get(code_key=key)
    assert prepared.submitted_at == plain.submitted_at and prepared.submitted_at.tzinfo
    assert prepared.answers == plain.answers and isinstance(prepared.answers, dict)


def test_a_prepared_values_list_gives_its_tuples_converted(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    key = Dossier.objects.get(code=created["code"]).code_key
    columns = ("code", "submitted_at", "answers", "pk")
    read = PreparedRead(lambda k: Dossier.objects.filter(code_key=k).values_list(*columns), "")
    (prepared,) = read(key)
    assert prepared == Dossier.objects.filter(code_key=key).values_list(*columns).get()
    assert prepared[1].tzinfo and isinstance(prepared[2], dict)
    assert list(read("NOSUCHCODE")) == []


def test_the_sql_is_compiled_once_per_connection(staff):
    read = PreparedRead(commune_with_province, "")
    compiling = mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    )
    with compiling as compiled:
        names = [next(iter(read(code))).name for code in ("DEMO-PL", "DEMO-TN", "DEMO-PL")]
    assert compiled.call_count == 1
    assert names[0] == names[2] != names[1]


def test_a_value_the_orm_would_transform_is_refused(staff):
    read = PreparedRead(lambda text: Commune.objects.filter(name__contains=text), "")
    with pytest.raises(ValueError, match="unchanged"):
        list(read("Phú"))  # the ORM sends "%Phú%": the value is not a parameter of its own


def test_a_prepared_read_is_not_chained_and_its_values_are_typed(staff):
    read = PreparedRead(commune_with_province, "")
    with pytest.raises(TypeError):
        read("DEMO-PL").filter(name="x")
    with pytest.raises(TypeError):
        read(42)
    with pytest.raises(TypeError):
        PreparedRead(commune_with_province, 1.5)
