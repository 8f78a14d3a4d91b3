from django.core.management import call_command

from xaso.accounts.models import Membership, User
from xaso.core.audit import audit_verify
from xaso.places.models import Commune, Village


def test_seed_demo_creates_the_demo_commune_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Commune.objects.get(code="DEMO-PL")
    assert (demo.name, demo.province.name, demo.is_demo) == ("Xã Phú Lộc (demo)", "Đắk Lắk", True)
    names = list(Village.objects.filter(commune=demo).values_list("name", flat=True))
    assert len(names) == 15
    assert {"Thôn Lộc Tân", "Thôn Lộc Tài"} <= set(names)
    assert all("(demo)" in name for name in names if "Lộc" not in name)
    assert Membership.objects.count() == 7
    assert Commune.objects.get(code="DEMO-TN").is_demo
    assert User.objects.get(username="leader").check_password("xaso-demo")
    assert "other-reception" in capsys.readouterr().out
    assert audit_verify() == []


def test_demo_codes_cannot_be_mistaken_for_national_ones(db):
    call_command("seed_demo")
    national = Commune.objects.exclude(code__startswith="DEMO-")
    assert all(code.isdigit() for code in national.values_list("code", flat=True))
    assert not national.filter(is_demo=True).exists()
