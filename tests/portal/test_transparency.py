"""/chi-so/: the public service index of a commune, aggregate figures only, light, no script."""

import pytest

from tests.reports import fixture

pytestmark = pytest.mark.django_db


def test_the_public_index_shows_figures_and_no_one(client, world):
    fixture.build(world)  # October 2026 in T-A; the tests' moment is 25/11/2026
    response = client.get("/chi-so/?commune=T-A")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and "TDGQ.1" in text and "CKMB" in text
    assert "/ 100" in text
    for private in ("Người 1", "T-A-0001", "T-A-0012", "<script"):
        assert private not in text
    assert len(response.content) <= 60_000


def test_the_public_index_of_the_year_so_far(client, world):
    fixture.build(world)
    from datetime import date

    from xaso.reports.counters import Period
    from xaso.reports.selectors import public_index

    _commune, result = public_index("T-A", Period(date(2026, 1, 1), date(2026, 11, 25)))
    text = client.get("/chi-so/?commune=T-A").content.decode()
    assert f"<strong>{str(result.total).replace('.', ',')}</strong>" in text


def test_a_commune_offering_nothing_or_unknown_is_not_found(client, world):
    fixture.build(world)
    assert client.get("/chi-so/?commune=T-B").status_code == 404  # offers no procedure
    assert client.get("/chi-so/?commune=NOPE").status_code == 404


def test_without_a_commune_it_lists_the_communes(client, world):
    fixture.build(world)
    from xaso.catalog.models import CommuneProcedure, Procedure

    CommuneProcedure.objects.create(
        commune=world.other_commune, procedure=Procedure.objects.first()
    )
    text = client.get("/chi-so/").content.decode()
    assert 'name="commune"' in text and world.commune.name in text
    assert world.other_commune.name in text
