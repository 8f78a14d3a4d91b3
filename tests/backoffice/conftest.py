"""The demo commune (seeded as `xaso demo` does), browser-less clients signed in as its staff, and
dossiers made through the services."""

import pytest
from django.test import Client

from tests.dossiers.conftest import at, demo, procedure_submission, submission  # noqa: F401
from tests.helpers.second_factor import verified_client
from xaso.dossiers.submission import dossier_submit

# A procedure with a short form (Chứng thực chữ ký): signer, phone, title, kind, count, tick.
SIGNATURE = "2.000884"
# Same day, officers may write it for the applicant (Cấp bản sao trích lục hộ tịch).
EXTRACT_COPY = "2.000635"


@pytest.fixture
def clients(demo):  # noqa: F811
    """A page client signed in as each demo account (plus "anonymous"); the leader and the
    administrator past the second factor with their authenticator's code."""
    signed_in = {name: verified_client(user) for name, user in demo.items()}
    signed_in["anonymous"] = Client()
    return signed_in


@pytest.fixture
def other_admin(demo):  # noqa: F811
    """A page client signed in as the administrator of the other demo commune."""
    from xaso.accounts.models import Membership, Role, User

    commune = demo["other-reception"].memberships.first().commune
    from xaso.accounts.services import totp_enrol_with_secret
    from xaso.demo.seed import demo_totp_key

    user = User.objects.create_user(username="other-admin", password="x" * 16, is_staff=True)
    Membership.objects.create(user=user, commune=commune, role=Role.COMMUNE_ADMIN)
    totp_enrol_with_secret(user=user, secret_hex=demo_totp_key())
    return verified_client(user)


def make_dossier(actor, *, code: str = SIGNATURE, channel: str = "online", receive=False):
    """A dossier of the demo commune: online (submitted) or received at the desk."""
    payload = procedure_submission(code, channel)
    return dossier_submit(
        actor=actor,
        procedure_code=payload["procedure"],
        commune_code=payload["commune"],
        channel=payload["channel"],
        applicant=payload["applicant"],
        answers=payload["form"],
        receive=receive,
    ).dossier


def as_post(procedure_code: str, answers: dict) -> dict:
    """Form answers as the desk page posts them (`catalog.web_forms`' names: the portal's)."""
    from xaso.catalog.models import Procedure

    kinds = {
        f["name"]: f["type"] for f in Procedure.objects.get(code=procedure_code).form["fields"]
    }
    data: dict = {}

    def date_boxes(name: str, iso: str) -> None:
        year, month, day = iso.split("-")
        data.update({f"{name}.day": day, f"{name}.month": month, f"{name}.year": year})

    for name, value in answers.items():
        if kinds[name] in ("person", "address"):
            for part, text in value.items():
                if part == "date_of_birth":
                    date_boxes(f"{name}.{part}", text)
                else:
                    data[f"{name}.{part}"] = text
        elif kinds[name] == "file":
            data[f"{name}.token"] = value
        elif kinds[name] == "checkbox":
            if value:
                data[name] = "1"
        elif kinds[name] == "date":
            date_boxes(name, value)
        elif kinds[name] == "multi_choice":
            data[name] = value
        else:
            data[name] = str(value)
    return data
