"""One descriptor per action of the workflow table (`workflow.TABLE`), beside it.

The table says which state an action leaves and who may take it; the descriptor says everything
else an action is: its name in the API (`request-supplement`), its label on a button and in the
timeline, the inputs it asks for and how they are read (from the API's JSON body or a posted
back-office form), whether the citizen reads its note, the official form it issues (Circular
03/2025: Forms 01–05, `documents.FORMS`), the step of Form 06 it hands the dossier to
(`control.ENTERS`), whether it is destructive (set apart, confirmed by a ticked box) or needs
the officer to prove again who they are, and the message the applicant receives (a template key
of the notify app, which registers its listener for exactly these).

The API (`dossiers/api.py`), the back office (`backoffice/dossier.py`), notify
(`notify/listeners.py`), the public timeline, the official forms and Form 06 read these; a test
holds that every action of the table has exactly one descriptor and every descriptor a row.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.core.errors import InvalidInput

# How an input's value is read.
TEXT = "text"  # one line or a paragraph, trimmed, cut at `max_length`
LINES = "lines"  # a list of lines (a textarea posted, a JSON list)
FLAG = "flag"  # ticked or not
MOMENT = "moment"  # a date and time (a `datetime-local` input, an ISO string)
FEE = "fee"  # the fee set at receipt: an amount or an exemption with its evidence
PROOF = "proof"  # a password or a one-time code, read as typed

# The steps of Form 06 an action hands the dossier to (`control.py`).
RECEPTION = "reception"
SPECIALIST = "specialist"
LEADER = "leader"
RETURN = "return"
DONE = "done"

# For which procedures an action is offered: every one, only those another body decides
# (liên thông), or only those the commune decides itself.
ANY_PROCEDURE = "any"
FORWARDED = "forwarded"
DECIDED_HERE = "decided_here"

LIST_MAX = 50
TEXT_MAX = 2000


@dataclass(frozen=True)
class Input:
    """One thing an action asks for. `name` is the service's keyword; `widget` how the back
    office draws it (`backoffice/dossier/_action.html`); `post` the posted input's name and
    `json` the API body's field, when not `name`."""

    name: str
    kind: str = TEXT
    widget: str = ""
    post: str = ""
    json: str = ""
    max_length: int = TEXT_MAX

    @property
    def post_name(self) -> str:
        return self.post or self.name

    @property
    def json_name(self) -> str:
        return self.json or self.name


@dataclass(frozen=True)
class ActionDescriptor:
    slug: str  # as in the workflow table and the events: "request_supplement"
    label: Any  # the button (gettext_lazy)
    event_label: Any  # the timeline's noun phrase (gettext_lazy)
    service: str = ""  # the function of `services` the staff API and back office call
    inputs: tuple[Input, ...] = ()
    public_note: bool = False  # the citizen's timeline shows its note
    forms: tuple[str, ...] = ()  # the official forms (documents.FORMS) it makes available
    enters: str = ""  # the Form 06 step it hands the dossier to ("" = not a hand-over)
    destructive: bool = False  # ends the dossier or turns it to a denial: set apart, confirmed
    second_factor: bool = False  # the officer proves again who they are (accounts.step_up)
    primary: int = 0  # the page's one primary button is the allowed action of lowest rank > 0
    message: str = ""  # the notify template the applicant receives ("" = none)
    # what the message quotes of the event's data: {template value: event data key}
    message_values: Mapping[str, str] = field(default_factory=dict)
    offered_for: str = ANY_PROCEDURE

    @property
    def api_name(self) -> str:
        return self.slug.replace("_", "-")

    @property
    def staff(self) -> bool:
        """Taken by staff through the API's action endpoint and the dossier page."""
        return bool(self.service)

    def function(self) -> Callable:
        from . import services

        return getattr(services, self.service)

    def offered(self, procedure) -> bool:
        if self.offered_for == FORWARDED:
            return procedure.is_forwarded
        if self.offered_for == DECIDED_HERE:
            return not procedure.is_forwarded
        return True

    def widgets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.widget or i.name for i in self.inputs if i.widget != "-"))

    def from_json(self, body: Mapping) -> dict:
        """The service's keyword arguments from the API's JSON body."""
        return {i.name: _read(i, body.get(i.json_name), posted=False) for i in self.inputs}

    def from_post(self, post) -> dict:
        """The service's keyword arguments from a posted back-office form."""
        return {i.name: _read_posted(i, post) for i in self.inputs}


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError as error:
            raise InvalidInput(_("Give the new date and time."), code="new_due_at") from error
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _amount(text: str) -> int:
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    if not digits.isdigit():
        raise InvalidInput(_("Enter the amount in whole đồng."), code="amount")
    return int(digits)


def fee_from_post(post) -> dict | None:
    """The fee fields of a receipt (`fee_amount`, or `fee_exemption` with `fee_evidence`);
    None when both are blank. Shared by the dossier page and the desk's intake."""
    amount = post.get("fee_amount", "").strip()[:TEXT_MAX]
    exemption = post.get("fee_exemption", "").strip()[:TEXT_MAX]
    if not amount and not exemption:
        return None
    if exemption:
        return {"exemption": exemption, "evidence": post.get("fee_evidence", "").strip()[:TEXT_MAX]}
    return {"amount": _amount(amount)}


def _read_posted(spec: Input, post):
    if spec.kind == FEE:
        return fee_from_post(post)
    if spec.kind == LINES:
        return [line for line in post.get(spec.post_name, "").splitlines() if line.strip()][
            :LIST_MAX
        ]
    return _read(spec, post.get(spec.post_name), posted=True)


def _read(spec: Input, value, *, posted: bool):
    if spec.kind == FLAG:
        return bool(value)
    if spec.kind == PROOF:
        return str(value or "") if spec.name == "password" else str(value or "").strip()
    if spec.kind == MOMENT:
        if value in (None, ""):
            if posted:
                raise InvalidInput(_("Give the new date and time."), code="new_due_at")
            raise InvalidInput(code="new_due_at")
        return _moment(value)
    if spec.kind == FEE:
        if value is None:
            return None
        return {key: part for key, part in dict(value).items() if part not in (None, "")}
    if spec.kind == LINES:
        return [str(line) for line in (value or [])][:LIST_MAX]
    return str(value or "").strip()[: spec.max_length]


NOTE = Input("note")
REASON = Input("reason")
TO = Input("to", max_length=150)


def _descriptors() -> tuple[ActionDescriptor, ...]:
    return (
        ActionDescriptor(
            "submit",
            label=gettext_lazy("Submit"),
            event_label=gettext_lazy("Submitted"),
        ),
        ActionDescriptor(
            "intake",
            label=gettext_lazy("Receive at the desk"),
            event_label=gettext_lazy("Received at the desk"),
            forms=("receipt", "control-slip"),
            enters=RECEPTION,
            message="dossier_received",
        ),
        ActionDescriptor(
            "receive",
            label=gettext_lazy("Receive"),
            event_label=gettext_lazy("Received"),
            service="dossier_receive",
            inputs=(
                Input("with_verification", FLAG, widget="verification"),
                # posted with the verification's box; the API's body calls it "reason"
                Input("reason", widget="-", post="verification_reason"),
                Input("fee", FEE),
            ),
            forms=("receipt", "control-slip"),
            enters=RECEPTION,
            primary=1,
            message="dossier_received",
        ),
        ActionDescriptor(
            "request_supplement",
            label=gettext_lazy("Request a supplement (Form 02)"),
            event_label=gettext_lazy("Supplement requested (Form 02)"),
            service="dossier_request_supplement",
            # a second request also gives its reason (the page warns first: "second_request")
            inputs=(Input("items", LINES), NOTE, Input("reason", widget="-")),
            public_note=True,
            forms=("supplement-request",),
            message="supplement_requested",
            message_values={"items": "items"},
        ),
        ActionDescriptor(
            "resubmit",
            label=gettext_lazy("Hand in the supplement"),
            event_label=gettext_lazy("Supplement handed in"),
        ),
        ActionDescriptor(
            "refuse",
            label=gettext_lazy("Refuse (Form 03)"),
            event_label=gettext_lazy("Refused (Form 03)"),
            service="dossier_refuse",
            inputs=(REASON,),
            public_note=True,
            forms=("refusal",),
            destructive=True,
            message="dossier_refused",
            message_values={"reason": "reason"},
        ),
        ActionDescriptor(
            "assign",
            label=gettext_lazy("Assign"),
            event_label=gettext_lazy("Assigned"),
            service="dossier_assign",
            inputs=(TO,),
            enters=SPECIALIST,
            primary=3,
        ),
        ActionDescriptor(
            "handover",
            label=gettext_lazy("Hand over"),
            event_label=gettext_lazy("Handed over"),
            service="dossier_handover",
            inputs=(TO, NOTE),
            enters=SPECIALIST,
        ),
        ActionDescriptor(
            "resume",
            label=gettext_lazy("Supplement received: resume"),
            event_label=gettext_lazy("Resumed after the supplement"),
            service="dossier_resume",
            primary=2,
        ),
        ActionDescriptor(
            "forward",
            label=gettext_lazy("Forward to the deciding body"),
            event_label=gettext_lazy("Forwarded to the deciding body"),
            service="dossier_forward",
            inputs=(Input("to", widget="receiver", post="receiver", max_length=150), NOTE),
            primary=4,
            offered_for=FORWARDED,
        ),
        ActionDescriptor(
            "record_answer",
            label=gettext_lazy("Record the deciding body's answer"),
            event_label=gettext_lazy("The deciding body's answer recorded"),
            service="dossier_record_answer",
            inputs=(Input("outcome", max_length=12), Input("reference", max_length=150), NOTE),
            primary=5,
            offered_for=FORWARDED,
        ),
        ActionDescriptor(
            "propose",
            label=gettext_lazy("Propose the result"),
            event_label=gettext_lazy("Result proposed"),
            service="dossier_propose",
            inputs=(NOTE,),
            enters=LEADER,
            primary=6,
            offered_for=DECIDED_HERE,
        ),
        ActionDescriptor(
            "deny",
            label=gettext_lazy("Propose a denial"),
            event_label=gettext_lazy("Denial proposed"),
            service="dossier_deny",
            inputs=(REASON,),
            public_note=True,
            enters=LEADER,
            destructive=True,
            offered_for=DECIDED_HERE,
        ),
        ActionDescriptor(
            "send_back",
            label=gettext_lazy("Send back"),
            event_label=gettext_lazy("Sent back"),
            service="dossier_send_back",
            inputs=(REASON,),
            enters=SPECIALIST,
        ),
        ActionDescriptor(
            "approve",
            label=gettext_lazy("Approve and sign"),
            event_label=gettext_lazy("Approved and signed"),
            service="dossier_approve_stepped_up",
            inputs=(Input("otp", PROOF, widget="step_up"), Input("password", PROOF, "step_up")),
            enters=RETURN,
            second_factor=True,
            primary=7,
            message="result_ready",
        ),
        ActionDescriptor(
            "return",
            label=gettext_lazy("Return the result"),
            event_label=gettext_lazy("Result returned"),
            service="dossier_return",
            inputs=(Input("channel", max_length=12),),
            enters=DONE,
            primary=8,
            message="result_returned",
            message_values={"return_channel": "channel"},
        ),
        ActionDescriptor(
            "withdraw",
            label=gettext_lazy("Withdraw at the applicant's request (Form 05)"),
            event_label=gettext_lazy("Withdrawn at the applicant's request (Form 05)"),
            service="dossier_withdraw",
            inputs=(REASON,),
            public_note=True,
            forms=("stop-notice",),
            destructive=True,
        ),
        ActionDescriptor(
            "extend",
            label=gettext_lazy("Apologise and extend (Form 04)"),
            event_label=gettext_lazy("Apology and extension (Form 04)"),
            service="dossier_extend",
            inputs=(REASON, Input("new_due_at", MOMENT)),
            public_note=True,
            forms=("apology",),
            message="dossier_extended",
            message_values={"reason": "reason"},
        ),
        ActionDescriptor(
            "rate",
            label=gettext_lazy("Rate"),
            event_label=gettext_lazy("Rated by the applicant"),
        ),
    )


DESCRIPTORS: tuple[ActionDescriptor, ...] = _descriptors()
BY_SLUG: dict[str, ActionDescriptor] = {d.slug: d for d in DESCRIPTORS}
BY_API_NAME: dict[str, ActionDescriptor] = {d.api_name: d for d in DESCRIPTORS if d.staff}

PUBLIC_NOTES = frozenset(d.slug for d in DESCRIPTORS if d.public_note)
DESTRUCTIVE = frozenset(d.slug for d in DESCRIPTORS if d.destructive)
ENTERS: dict[str, str] = {d.slug: d.enters for d in DESCRIPTORS if d.enters}
MESSAGES: dict[str, str] = {d.slug: d.message for d in DESCRIPTORS if d.message}


def descriptor(slug: str) -> ActionDescriptor:
    """The descriptor of a workflow action (KeyError for a name the table does not know)."""
    return BY_SLUG[slug]


def staff_action(name: str) -> ActionDescriptor | None:
    """The action staff take by its API name (`request-supplement`) or slug, if there is one."""
    return BY_API_NAME.get(name.replace("_", "-"))


def issued_after() -> dict[str, tuple[str, ...]]:
    """Official form → the actions after which a dossier has it, in the order of the forms."""
    issued: dict[str, list[str]] = {}
    for d in DESCRIPTORS:
        for form in d.forms:
            issued.setdefault(form, []).append(d.slug)
    return {form: tuple(slugs) for form, slugs in issued.items()}


def primary_of(allowed) -> str | None:
    """The one primary action among those allowed: the lowest rank."""
    ranked = [BY_SLUG[a] for a in allowed if a in BY_SLUG and BY_SLUG[a].primary]
    return min(ranked, key=lambda d: d.primary).slug if ranked else None
