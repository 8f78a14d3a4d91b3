"""The demo commune (signing for real: `seed-demo` runs `pki init-dev`) and dossiers brought to
the leader's desk."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import pytest

from tests.dossiers.conftest import at, demo, procedure_submission, staff, submission  # noqa: F401
from tests.helpers.registers import entered
from xaso.dossiers import services
from xaso.dossiers.models import Dossier
from xaso.dossiers.submission import dossier_submit


def awaiting_signature(demo_users, *, deny: bool = False, entry: bool = True, **extra) -> Dossier:
    """A birth registration received at the desk, proposed (or denied) by the specialist, its
    register entry recorded (unless `entry=False`)."""
    body = submission("counter", **extra)
    dossier = dossier_submit(
        actor=demo_users["reception"],
        procedure_code=body["procedure"],
        commune_code=body["commune"],
        channel=body["channel"],
        applicant=body["applicant"],
        answers=body["form"],
        receive=True,
        result_delivery=extra.get("result_delivery", "counter"),
    ).dossier
    dossier.refresh_from_db()
    if deny:
        return services.dossier_deny(
            actor=demo_users["specialist"], dossier=dossier, reason="Thiếu giấy chứng sinh."
        )
    proposed = services.dossier_propose(actor=demo_users["specialist"], dossier=dossier)
    return entered(proposed) if entry else proposed


@pytest.fixture
def ready(demo):
    """A factory of dossiers awaiting the demo leader's signature."""
    return lambda **extra: awaiting_signature(demo, **extra)
