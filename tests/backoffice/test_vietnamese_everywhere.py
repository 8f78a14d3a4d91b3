"""No code word reaches an officer: on the demo's desk of dossiers in every state, the queues,
each dossier page and the leader's desk print states, actions, channels, payment statuses and
methods, document kinds and document names in Vietnamese — never their slugs."""

import re
from html.parser import HTMLParser

from xaso.accounts.models import Role
from xaso.backoffice.access import QUEUE_ORDER
from xaso.catalog.models import RequiredDocument
from xaso.demo.dossiers import seed_demo_dossiers
from xaso.dossiers import workflow
from xaso.dossiers.models import Channel, Dossier, State
from xaso.payments.models import Payment, PaymentRequest
from xaso.results.documents import KINDS


class _VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style> and <template>."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _slugs() -> set[str]:
    words = {
        *State.values,
        *{row.action for row in workflow.TABLE},
        *Channel.values,
        *PaymentRequest.Status.values,
        *Payment.Method.values,
        *KINDS,
        *Role.values,
        workflow.CITIZEN,
        workflow.SYSTEM,
        *RequiredDocument.objects.values_list("key", flat=True),
    }
    # A slug is a code word only where it cannot be a Vietnamese word.
    return {word for word in words if re.search(r"[_\-]|^[a-z]+$", word)}


def _leaked(html: str, slugs: set[str]) -> list[str]:
    text = visible_text(html)
    found = {word for word in re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", text) if word in slugs}
    return sorted(found)


def test_every_page_of_the_demo_desk_speaks_vietnamese(clients):
    seed_demo_dossiers()
    slugs = _slugs()
    reception, leader = clients["reception"], clients["leader"]
    pages = [(reception, f"/backoffice/queues/{queue}/") for queue in QUEUE_ORDER]
    pages.append((leader, "/backoffice/leader/"))
    pages.append((clients["admin"], "/backoffice/admin/signing/"))  # the results, by kind
    for state in State.values:
        dossier = Dossier.objects.filter(state=state).order_by("pk").first()
        pages.append((reception, f"/backoffice/dossiers/{dossier.code}/"))
        pages.append((leader, f"/backoffice/dossiers/{dossier.code}/"))
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        leaked = _leaked(response.content.decode(), slugs)
        assert leaked == [], f"{path} shows code words {leaked}"


def test_the_dossier_page_prints_money_dates_and_the_timeline_in_vietnamese(clients):
    seed_demo_dossiers()
    paid = Payment.objects.select_related("request__dossier").order_by("pk").first()
    dossier = paid.request.dossier
    text = visible_text(clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").text)
    amount = f"{paid.amount:,}".replace(",", ".") + " ₫"
    assert amount in text
    assert str(Payment.Method(paid.method).label) in text
    born = dossier.applicant["date_of_birth"]  # stored as ISO, printed dd/mm/yyyy
    assert born not in text
    assert "/".join(reversed(born.split("-"))) in text
    assert "→" in text and "submit" not in text


def test_lists_of_places_and_people_follow_vietnamese_order(clients, demo):
    from xaso.places.models import Village

    commune = demo["admin"].memberships.first().commune
    for number, name in enumerate(["Thôn 10", "Thôn 2", "Buôn Ea Bung", "Buôn Ea Bá"]):
        Village.objects.create(commune=commune, name=name, code=f"order-{number}")
    text = visible_text(clients["admin"].get("/backoffice/admin/villages/").content.decode())
    positions = [text.index(name) for name in ("Buôn Ea Bá", "Buôn Ea Bung", "Thôn 2", "Thôn 10")]
    assert positions == sorted(positions)
    answer = clients["admin"].get(f"/api/v1/places/communes/{commune.code}").json()
    names = [village["name"] for village in answer["villages"]]
    assert names.index("Thôn 2") < names.index("Thôn 10")
    assert names.index("Buôn Ea Bá") < names.index("Buôn Ea Bung")
