"""The home page offers what people file most, then the usual procedures of a commune desk."""

import re

from tests.dossiers.conftest import demo, procedure_submission  # noqa: F401 (fixtures)
from xaso.dossiers.selectors import COMMON_PROCEDURES
from xaso.dossiers.submission import dossier_submit


def offered_codes(page: str) -> list[str]:
    return re.findall(r'href="/thu-tuc/([0-9.]+)/"', page)


def file(code: str) -> None:
    body = procedure_submission(code, "online")
    dossier_submit(
        actor=None, procedure_code=body["procedure"], commune_code=body["commune"],
        channel="online", applicant=body["applicant"], answers=body["form"],
    )  # fmt: skip


def test_a_new_deployment_offers_the_usual_procedures(demo, client):  # noqa: F811
    page = client.get("/").content.decode()
    assert offered_codes(page) == list(COMMON_PROCEDURES)
    assert 'href="/tra-cuu/"' in page and 'href="/xac-thuc/"' in page


def test_what_people_file_most_comes_first(demo, client, django_assert_num_queries):  # noqa: F811
    for _ in range(2):
        file("2.000884")
    file("1.000656")
    with django_assert_num_queries(2):
        page = client.get("/").content.decode()
    codes = offered_codes(page)
    assert codes[:2] == ["2.000884", "1.000656"]
    assert len(codes) == len(set(codes)) == 6
