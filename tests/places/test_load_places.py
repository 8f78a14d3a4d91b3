from django.core.management import call_command

from xaso.places.models import Commune, Province


def test_load_places_loads_the_2025_units_and_is_idempotent(db, capsys):
    call_command("load_places")
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    dak_lak = Province.objects.get(code="66")
    assert dak_lak.name == "Đắk Lắk"
    assert Commune.objects.filter(province=dak_lak).count() > 90
    call_command("load_places")
    assert "0 new provinces, 0 new communes" in capsys.readouterr().out
    assert Commune.objects.count() == 3321
