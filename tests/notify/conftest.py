import pytest
from django.utils import timezone

from tests.catalog.test_api import BIRTH_ANSWERS
from xaso.accounts.models import User
from xaso.dossiers.models import Upload
from xaso.dossiers.submission import dossier_submit

PHONE = "0912345678"
ANSWERS = {
    **BIRTH_ANSWERS,
    "mother_residence": {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"},
}


@pytest.fixture
def demo(demo_seeded):
    # The form's birth certificate field refers to an upload made before the submission.
    Upload.objects.create(
        token="upload-1",
        file="uploads/test/upload-1.pdf",
        kind=Upload.Kind.PDF,
        size=1000,
        sha256="0" * 64,
        created_at=timezone.now(),
    )


def staff(username: str) -> User:
    return User.objects.get(username=username)


def submit_at_desk(*, phone: str = PHONE, receive: bool = True):
    """A birth registration handed in at the Phú Lộc desk by the applicant (the grandfather)."""
    return dossier_submit(
        actor=staff("reception"),
        procedure_code="1.001193",
        commune_code="DEMO-PL",
        channel="counter",
        applicant={
            "full_name": "Y Bhiơ Niê",
            "personal_id": "066060001234",
            "date_of_birth": "1960-03-02",
            "sex": "male",
            "phone": phone,
        },
        answers=ANSWERS,
        receive=receive,
    ).dossier


# Long enough that a loaded machine's loopback answer never passes for a gateway that hangs.
CLIENT_TIMEOUT = 1.5
SLOW_ANSWER = 3.0


@pytest.fixture
def sms_gateway(settings):
    """A brandname SMS gateway (eSMS-like answers) behind the `sms` channel."""
    from tests.notify.fakes import FakeProvider

    provider = FakeProvider("sms")
    settings.XASO_NOTIFY_HTTP_TIMEOUT = CLIENT_TIMEOUT
    provider.slow_seconds = SLOW_ANSWER
    settings.XASO_NOTIFY_SMS = {
        "url": provider.url + "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        "headers": {"X-Api-Key": "test-key"},
        "sender": "UBND XA",
        "fields": {"phone": "Phone", "text": "Content", "sender": "Brandname"},
        "params": {"SmsType": "2"},
        "success_field": "CodeResult",
        "success_values": ["100"],
        "id_field": "SMSID",
        "permanent_values": ["104"],
    }
    yield provider
    provider.close()


@pytest.fixture
def zalo(settings):
    """Zalo ZNS behind the `zalo` channel, with a template id for every template."""
    from tests.notify.fakes import FakeProvider
    from xaso.notify import templates

    provider = FakeProvider("zalo")
    settings.XASO_NOTIFY_HTTP_TIMEOUT = CLIENT_TIMEOUT
    provider.slow_seconds = SLOW_ANSWER
    settings.XASO_NOTIFY_ZALO = {
        "url": provider.url + "/message/template",
        "access_token": "zalo-test-token",
        "templates": {key: str(200000 + n) for n, key in enumerate(templates.TEMPLATES)},
        "permanent_errors": [-108, -118],
    }
    yield provider
    provider.close()


@pytest.fixture
def without_signing(monkeypatch):
    """The results app signs on approve (with a leader's credential); what notify writes on
    approve is under test here, not the signature."""
    from xaso.dossiers import hooks

    for registry in (hooks._listeners, hooks._guards):
        for action, registered in list(registry.items()):
            kept = [hook for hook in registered if not hook.__module__.startswith("xaso.results")]
            monkeypatch.setitem(registry, action, kept)
