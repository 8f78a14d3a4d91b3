"""`xaso catalog apply-versions`: the daily switch to the version in force."""

import io

from django.core.management import call_command

from tests.catalog.test_versions import MARITAL_STATUS, the_seed, two_versions
from tests.dossiers.conftest import at  # noqa: F401 (fixture)
from xaso.catalog.models import Procedure
from xaso.catalog.services import catalog_import


def test_the_command_switches_on_the_first_day_of_the_new_version(db, at):  # noqa: F811
    catalog_import(actor=None, data=two_versions(the_seed()))
    out = io.StringIO()
    at(2027, 2, 28, 0, 5)
    call_command("catalog", "apply-versions", stdout=out)
    assert Procedure.objects.get(code=MARITAL_STATUS).version == 1
    at(2027, 3, 1, 0, 5)
    call_command("catalog", "apply-versions", stdout=out)
    assert Procedure.objects.get(code=MARITAL_STATUS).version == 2
    assert out.getvalue().splitlines() == [
        "every procedure is at the version in force",
        f"switched to the version in force: {MARITAL_STATUS}",
    ]
