"""Signing in and out, the layout, the commune administrator's villages."""

import pytest
from django.conf import settings
from django.test import Client

from xaso.places.models import Village

pytestmark = pytest.mark.django_db


def test_staff_sign_in_and_land_on_their_work(demo):
    client = Client()
    response = client.post(
        "/backoffice/login/", {"username": "reception", "password": settings.XASO_DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/backoffice/").headers["Location"] == "/backoffice/queues/new/"
    page = client.get("/backoffice/queues/new/").content.decode()
    assert "Xã Phú Lộc (demo)" in page
    assert client.post("/backoffice/logout/").status_code == 302
    assert client.get("/backoffice/queues/new/").status_code == 302


def test_a_wrong_password_is_refused(demo):
    response = Client().post("/backoffice/login/", {"username": "reception", "password": "no"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_the_leader_lands_on_the_leaders_desk(clients):
    assert clients["leader"].get("/backoffice/").headers["Location"] == "/backoffice/leader/"


def test_pages_carry_no_inline_script_or_style(clients):
    page = clients["reception"].get("/backoffice/desk/2.000884/").content.decode()
    assert "<script>" not in page and "style=" not in page and "<style" not in page
    assert "onclick" not in page


def test_the_administrator_adds_a_village(clients, demo):
    before = Village.objects.filter(commune__code="DEMO-PL").count()
    response = clients["admin"].post(
        "/backoffice/admin/villages/", {"name": "Thôn Mới", "kind": "thon"}
    )
    assert response.status_code == 302
    assert Village.objects.filter(commune__code="DEMO-PL").count() == before + 1
    assert clients["reception"].get("/backoffice/admin/villages/").status_code == 404
    bad = clients["admin"].post(
        "/backoffice/admin/villages/", {"name": "", "kind": "thon"}, follow=True
    )
    assert 'class="error"' in bad.content.decode()
