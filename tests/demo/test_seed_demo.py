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


def test_the_demo_enrols_its_leader_and_admin_with_the_printed_totp_secret(db, capsys, settings):
    from django.test import Client

    from tests.helpers.second_factor import totp_code
    from xaso.accounts.second_factor import has_second_factor

    settings.XASO_DEMO_TOTP_SECRET = "KRSXG5CTMVRXEZLU"  # base32, as apps take it
    call_command("seed_demo")
    assert "KRSXG5CTMVRXEZLU" in capsys.readouterr().out
    enrolled = {u.username for u in User.objects.all() if has_second_factor(u)}
    assert enrolled == {"leader", "admin"}
    # An authenticator app holding that secret opens the leader's back office.
    client = Client()
    client.post("/backoffice/login/", {"username": "leader", "password": "xaso-demo"})
    assert client.get("/backoffice/leader/")["Location"].startswith("/backoffice/second-factor/")
    from base64 import b32encode

    device = User.objects.get(username="leader").totpdevice_set.get()
    assert b32encode(device.bin_key).decode() == "KRSXG5CTMVRXEZLU"
    client.post("/backoffice/second-factor/", {"otp": totp_code(device.user)})
    assert client.get("/backoffice/leader/").status_code == 200
