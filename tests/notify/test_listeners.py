"""The dossier events a citizen must hear of reach the outbox inside the action's transaction."""

import logging
from datetime import datetime, timedelta

import pytest

from tests.notify.conftest import ANSWERS, PHONE, staff, submit_at_desk
from xaso.core.errors import DomainError
from xaso.dossiers import hooks, services
from xaso.dossiers.models import Dossier
from xaso.dossiers.submission import dossier_resubmit
from xaso.notify.models import OutboxMessage

State = OutboxMessage.State


def sent_lines(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "xaso.notify" and r.levelno == logging.INFO
    ]


def test_a_dossier_received_at_the_desk_sends_one_message(
    demo, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="xaso.notify")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_at_desk()
    [message] = OutboxMessage.objects.all()
    assert (message.template, message.recipient, message.dossier_id, message.channel) == (
        "dossier_received",
        PHONE,
        dossier.pk,
        "log",
    )
    assert message.state == State.SENT
    assert datetime.fromisoformat(message.data["due_at"]) == dossier.due_at
    assert message.data["secret"] == dossier.lookup_secret
    assert message.subject == f"Đã tiếp nhận hồ sơ {dossier.code}"
    assert f"UBND xã Phú Lộc (demo) đã tiếp nhận hồ sơ {dossier.code}" in message.text
    [line] = sent_lines(caplog)
    assert dossier.code in line and PHONE in line


class Stop(DomainError):
    code = "stop"


def test_a_refused_action_writes_and_sends_nothing(
    demo, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    def guard(context):
        raise Stop()

    dossier = submit_at_desk(receive=False)
    monkeypatch.setitem(hooks._guards, "receive", [*hooks._guards["receive"], guard])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Stop):
        services.dossier_receive(actor=staff("reception"), dossier=dossier)
    assert callbacks == []
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert not OutboxMessage.objects.exists()
    assert sent_lines(caplog) == []


def test_a_rollback_after_the_row_was_written_loses_it_and_sends_nothing(
    demo, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    written = []

    def crash_after_the_outbox(context):  # runs after notify's listener, in the same transaction
        written.append(OutboxMessage.objects.count())
        raise RuntimeError("the signature service crashed")

    monkeypatch.setitem(hooks._listeners, hooks.ANY_ACTION, [crash_after_the_outbox])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_at_desk()
    assert written == [1]  # the row existed inside the transaction
    assert callbacks == []
    assert not Dossier.objects.exists() and not OutboxMessage.objects.exists()
    assert sent_lines(caplog) == []


def test_no_phone_no_message(demo, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG, logger="xaso.notify")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_at_desk(phone="")
    assert dossier.state == "processing"
    assert not OutboxMessage.objects.exists()
    assert f"dossier {dossier.code}, intake: no phone, no message" in caplog.text


def test_each_event_a_citizen_must_hear_of_sends_its_message(
    demo, without_signing, django_capture_on_commit_callbacks
):
    def step(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    dossier = step(submit_at_desk, receive=False)  # handed in, not yet checked: no message
    dossier = step(
        services.dossier_request_supplement,
        actor=staff("reception"),
        dossier=dossier,
        items=["Giấy chứng sinh (bản chính)", "Sổ hộ khẩu"],
    )
    step(dossier_resubmit, code=dossier.code, secret=dossier.lookup_secret, answers=ANSWERS)
    dossier = step(services.dossier_receive, actor=staff("reception"), dossier=dossier)
    dossier = step(
        services.dossier_extend,
        actor=staff("specialist"),
        dossier=dossier,
        reason="Chờ xác minh nơi cư trú của người mẹ",
        new_due_at=dossier.due_at + timedelta(days=2),
    )
    dossier = step(services.dossier_propose, actor=staff("specialist"), dossier=dossier)
    dossier = step(services.dossier_approve, actor=staff("leader"), dossier=dossier)
    dossier = step(
        services.dossier_return, actor=staff("reception"), dossier=dossier, channel="post"
    )
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.template for m in messages] == [
        "supplement_requested",
        "dossier_received",
        "dossier_extended",
        "result_ready",
        "result_returned",
    ]
    assert {m.state for m in messages} == {State.SENT}
    supplement, _received, extended, _ready, returned = messages
    assert "1. Giấy chứng sinh (bản chính)\n2. Sổ hộ khẩu" in supplement.text
    assert datetime.fromisoformat(extended.data["due_at"]) == dossier.due_at
    assert extended.data["reason"] == "Chờ xác minh nơi cư trú của người mẹ"
    assert "qua bưu chính" in returned.text

    other = step(submit_at_desk, receive=False)
    step(services.dossier_refuse, actor=staff("reception"), dossier=other, reason="Sai thẩm quyền")
    refusal = OutboxMessage.objects.get(dossier=other)
    assert (refusal.template, refusal.data["reason"]) == ("dossier_refused", "Sai thẩm quyền")
    assert "Lý do: Sai thẩm quyền" in refusal.text


def make_step(capture):
    def step(action, **kwargs):
        with capture(execute=True):
            return action(**kwargs)

    return step


@pytest.mark.parametrize(
    ("language", "subjects"),
    [
        ("vi", ["Đã tiếp nhận hồ sơ", "cần bổ sung", "xin lỗi", "đã có kết quả", "đã trả kết quả",
                "không được tiếp nhận"]),
        ("en", ["received", "documents to add or correct", "apology and new date", "result ready",
                "result returned", "not accepted"]),
    ],
)  # fmt: skip
def test_every_event_reaches_the_citizen_in_their_language(
    demo, without_signing, django_capture_on_commit_callbacks, language, subjects
):
    from django.utils import translation

    step = make_step(django_capture_on_commit_callbacks)
    with translation.override(language):  # the language the citizen filed in
        dossier = step(submit_at_desk, receive=False)
        refused = step(submit_at_desk, receive=False)
    assert dossier.applicant["language"] == language
    dossier = step(services.dossier_request_supplement, actor=staff("reception"),
                   dossier=dossier, items=["Giấy chứng sinh"])  # fmt: skip
    step(dossier_resubmit, code=dossier.code, secret=dossier.lookup_secret, answers=ANSWERS)
    dossier = step(services.dossier_receive, actor=staff("reception"), dossier=dossier)
    dossier = step(
        services.dossier_extend, actor=staff("specialist"), dossier=dossier,
        reason="Chờ xác minh", new_due_at=dossier.due_at + timedelta(days=2),
    )  # fmt: skip
    dossier = step(services.dossier_propose, actor=staff("specialist"), dossier=dossier)
    dossier = step(services.dossier_approve, actor=staff("leader"), dossier=dossier)
    step(services.dossier_return, actor=staff("reception"), dossier=dossier, channel="counter")
    step(services.dossier_refuse, actor=staff("reception"), dossier=refused, reason="Sai")
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.template for m in messages] == [
        "supplement_requested", "dossier_received", "dossier_extended", "result_ready",
        "result_returned", "dossier_refused",
    ]  # fmt: skip
    assert {m.language for m in messages} == {language}
    assert {m.state for m in messages} == {State.SENT}
    for message, words in zip(messages, [subjects[i] for i in (1, 0, 2, 3, 4, 5)], strict=True):
        assert words in message.subject, message.subject


def test_a_result_to_download_says_how(
    demo, without_signing, django_capture_on_commit_callbacks, settings
):
    settings.XASO_PUBLIC_URL = "https://phuloc.example.vn"
    step = make_step(django_capture_on_commit_callbacks)
    dossier = step(submit_at_desk)
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery="electronic")
    dossier = step(services.dossier_propose, actor=staff("specialist"), dossier=dossier)
    step(services.dossier_approve, actor=staff("leader"), dossier=dossier)
    ready = OutboxMessage.objects.get(template="result_ready")
    assert ready.data["electronic"] is True
    # The button the citizen will find on the status page, by its own words.
    assert "“Tải kết quả đã ký số”" in ready.text
    assert "https://phuloc.example.vn/tra-cuu/" in ready.text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_payment_recorded_tells_the_citizen(demo, django_capture_on_commit_callbacks, language):
    from tests.helpers.api import ApiClient
    from tests.payments.test_reconciliation import copy_submission
    from xaso.payments.models import PaymentRequest
    from xaso.payments.services import cash_record

    desk = ApiClient().as_user(staff("reception"))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            "/api/v1/dossiers", copy_submission(receive=True), HTTP_ACCEPT_LANGUAGE=language
        )
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    request = PaymentRequest.objects.get(dossier=dossier)
    assert request.amount > 0
    with django_capture_on_commit_callbacks(execute=True):
        payment = cash_record(actor=staff("reception"), dossier=dossier, amount=request.amount)
    message = OutboxMessage.objects.get(dossier=dossier, template="payment_received")
    assert (message.state, message.language) == (State.SENT, language)
    assert message.data["receipt"] == payment.receipt_number
    assert payment.receipt_number in message.text
    assert f"{request.amount:,}".replace(",", ".") in message.text


def test_a_payment_rolled_back_writes_no_message(demo, monkeypatch):
    from tests.helpers.api import ApiClient
    from tests.payments.test_reconciliation import copy_submission
    from xaso.payments import services as payments
    from xaso.payments.models import PaymentRequest

    desk = ApiClient().as_user(staff("reception"))
    code = desk.post("/api/v1/dossiers", copy_submission(receive=True)).json()["code"]
    dossier = Dossier.objects.get(code=code)
    amount = PaymentRequest.objects.get(dossier=dossier).amount

    def crash(*args, **kwargs):
        raise RuntimeError("the receipt counter broke")

    monkeypatch.setattr(payments, "audit_record", crash)
    with pytest.raises(RuntimeError):
        payments.cash_record(actor=staff("reception"), dossier=dossier, amount=amount)
    assert not OutboxMessage.objects.filter(template="payment_received").exists()
