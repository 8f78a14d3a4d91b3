"""The team member files a dossier for a resident (`/to-cong-nghe-so/nop-ho-so/`):
a procedure the commune offers, its catalogue form on one page (drawn by the portal's renderer,
`portal.apply_forms`, so the fields read and look as the citizen's do), the resident's consent,
and `dossiers.submission.dossier_submit` with the community channel and the member as the filer,
as `POST /api/v1/dossiers` does. Works without JavaScript: every choice is a plain POST.

The consent is both ticked (the member declares the resident agreed) and recorded with the
dossier, as the service requires (DOMAIN.md §7): a code sent to the resident's phone, which they
read back, or a photo of the consent they signed. Sent once: the photo route runs under the
page's one-time token (`core.idempotency`: a double click files one dossier); a code serves one
dossier by itself, and the second click of a double click finds the dossier it made.
"""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xaso.catalog.forms import validate_answers
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import PAGE_SIZE, DatabasePlaces, procedure_search
from xaso.core.errors import DomainError
from xaso.core.idempotency import HEADER, idempotent
from xaso.core.ratelimit import rate_limit
from xaso.dossiers.consent import consent_code_send
from xaso.dossiers.models import Channel, ReturnChannel
from xaso.dossiers.selectors import staff_dossiers
from xaso.dossiers.submission import dossier_submit
from xaso.portal import apply_forms as forms
from xaso.portal.apply import field_places, read_files
from xaso.portal.apply_submit import SUBMISSION_TOKEN, applicant_from_answers

from .workspace import member_required

FILED_KEY = "community_filed"  # session: dossier code -> lookup secret, for the resident
KEEP_FILED = 5
DELIVERY_CHOICES = (ReturnChannel.COUNTER, ReturnChannel.ELECTRONIC)
CONSENT_PHOTO = {"name": "consent_photo", "type": "file", "max_files": 1}
OTP, PHOTO = "otp", "photo"


def _offered(commune, code: str) -> Procedure:
    procedure = (
        Procedure.objects.filter(
            code=code, is_active=True, offers__commune=commune, offers__offered=True
        )
        .select_related("field")
        .first()
    )
    if procedure is None or not procedure.form.get("fields"):
        raise Http404(_("No procedure has this code."))
    return procedure


@member_required
def choose_procedure(request):
    """The procedures the member's commune offers, searched by words with or without accents."""
    query = request.GET.get("q", "").strip()[:100]
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    found = procedure_search(query, commune=request.member.team.commune, page=page)
    procedures = [procedure for procedure in found.procedures if procedure.form.get("fields")]
    pages = max(1, -(-found.count // PAGE_SIZE))

    def page_url(number: int) -> str:
        return "?" + urlencode({**({"q": query} if query else {}), "page": number})

    return render(
        request,
        "community/file_choose.html",
        {
            "member": request.member,
            "team": request.member.team,
            "nav": "file",
            "query": query,
            "procedures": procedures,
            "count": found.count,
            "page": page,
            "pages": pages,
            "previous_url": page_url(page - 1) if page > 1 else "",
            "next_url": page_url(page + 1) if page < pages else "",
        },
    )


class Filing:
    """One filing in progress: the answers read from the POST and checked by the catalogue's
    validator, the delivery and consent choices."""

    def __init__(self, request, procedure: Procedure):
        self.request = request
        self.procedure = procedure
        self.form = procedure.form
        self.commune = request.member.team.commune
        self.today = timezone.localdate()
        post = request.POST
        self.answers: dict = {}
        self.errors: dict[str, list[str]] = {}
        if request.method == "POST":
            for spec in self.form["fields"]:
                if spec["type"] == "file":
                    self.answers[spec["name"]], refused = read_files(request, spec)
                    if refused:
                        self.errors[spec["name"]] = refused
                else:
                    self.answers[spec["name"]] = forms.read_field(spec, post)
        self.result = validate_answers(
            self.form, self.answers, places=DatabasePlaces(), today=self.today
        )
        allowed = procedure.delivery_channels
        self.deliveries = [c for c in DELIVERY_CHOICES if not allowed or c in allowed]
        delivery = post.get("delivery", "")
        self.delivery = self.deliveries[0] if len(self.deliveries) == 1 else delivery
        self.consent_given = post.get("consent_given") == "1"
        self.method = post.get("consent_method", "")
        self.challenge = post.get("consent_challenge", "")[:40]
        self.code = "".join(post.get("consent_code", "").split())[:6]
        self.photo: list[str] = []
        if request.method == "POST":
            self.photo, refused = read_files(request, CONSENT_PHOTO)
            if refused:
                self.errors["consent_photo"] = refused

    def visible_specs(self) -> list[dict]:
        clean = self.result.clean
        return [spec for spec in self.form["fields"] if forms.is_shown(spec, clean, self.today)]

    def new_questions(self) -> bool:
        """Whether the answers just sent ask questions the page did not show yet."""
        shown = set(self.request.POST.get("_shown", "").split())
        return bool({spec["name"] for spec in self.visible_specs()} - shown)

    def check(self) -> None:
        """Every error of the page at once: the answers, the delivery, the consent."""
        names = {spec["name"] for spec in self.visible_specs()}
        for key, texts in self.result.errors.items():
            if key.split(".")[0] in names:
                self.errors.setdefault(key, []).extend(texts)
        if self.delivery not in self.deliveries:
            self.errors["_delivery"] = [_("Choose how the resident receives the result.")]
        if not self.consent_given:
            self.errors["_consent"] = [
                _("Tick the box once the resident has agreed that you file for them.")
            ]
        if self.method not in (OTP, PHOTO):
            self.errors["_method"] = [_("Choose how the resident's consent is recorded.")]
        elif self.method == PHOTO and not self.photo and "consent_photo" not in self.errors:
            self.errors["consent_photo"] = [_("Attach the photo of the consent they signed.")]

    def applicant(self) -> dict:
        return applicant_from_answers(self.form, self.result.clean, self.commune)

    def submit_kwargs(self, consent: dict) -> dict:
        return {
            "actor": self.request.user,
            "procedure_code": self.procedure.code,
            "commune_code": self.commune.code,
            "channel": Channel.COMMUNITY,
            "applicant": self.applicant(),
            "answers": self.result.clean,
            "consent": consent,
            "result_delivery": self.delivery,
        }

    def add_service_errors(self, error: dict) -> None:
        """A refusal of `dossier_submit`, on the box to correct."""
        fields = error.get("details", {}).get("fields", {})
        person = next((s["name"] for s in self.form["fields"] if s["type"] == "person"), "")
        phone = next((s["name"] for s in self.form["fields"] if s["type"] == "phone"), "")
        for key, texts in fields.items():
            if key == "applicant.phone" and phone:
                key = phone
            elif key.startswith("applicant.") and person:
                key = f"{person}.{key.removeprefix('applicant.')}"
            self.errors.setdefault(key, []).extend(texts)
        if not fields:
            code = error.get("code", "")
            target = "_form"
            if code == "consent_code_wrong":
                target = "consent_code"
            elif code.startswith("consent"):
                target = "_method"
            self.errors.setdefault(target, []).append(error.get("message", ""))


@member_required
def file_form(request, code: str):
    procedure = _offered(request.member.team.commune, code)
    filing = Filing(request, procedure)
    if request.method != "POST":
        return _render(request, filing)
    action = request.POST.get("_action", "file")
    if action == "refresh" or any(key.endswith(".remove") for key in request.POST):
        return _render(request, filing)  # a province chosen or a file removed, no JavaScript
    if filing.new_questions():
        filing.errors.clear()
        notice = _("Your answers ask more questions: answer them below, then file again.")
        return _render(request, filing, notice=notice)
    filing.check()
    if filing.errors:
        return _render(request, filing, status=400)
    if filing.method == OTP:
        if action == "resend" or not filing.challenge:
            return _send_code(request, filing)
        if not filing.code:
            filing.errors["consent_code"] = [_("Enter the code the resident reads out to you.")]
            return _render(request, filing, status=400)
        consent = {"method": OTP, "challenge": filing.challenge, "code": filing.code}
        outcome = _file_with_code(request, filing, consent)
    else:
        outcome = _file_with_photo(request, filing, {"method": PHOTO, "upload": filing.photo[0]})
    if "error" in outcome:
        filing.add_service_errors(outcome["error"])
        if outcome["error"].get("code") == "consent_invalid":
            filing.challenge = ""  # expired or used up: the next try sends a new code
        return _render(request, filing, status=400)
    return _filed(request, outcome)


def _send_code(request, filing: Filing):
    phone = filing.applicant()["phone"]
    try:
        rate_limit(request, f"consent_code:{request.user.pk}", settings.XASO_RATE_ANON_SUBMIT)
        challenge = consent_code_send(
            actor=request.user, commune=filing.commune, phone=phone,
            procedure_code=filing.procedure.code,
        )  # fmt: skip
    except DomainError as error:
        filing.errors["_method"] = [str(error.message)]
        return _render(request, filing, status=error.status)
    filing.challenge, filing.code = challenge.token, ""
    notice = _(
        "A code was sent to %(phone)s. Ask the resident to read it to you once they agree, "
        "type it below and file the dossier."
    ) % {"phone": phone}
    return _render(request, filing, notice=notice)


def _file_with_code(request, filing: Filing, consent: dict) -> dict:
    try:
        submitted = dossier_submit(**filing.submit_kwargs(consent))
    except DomainError as error:
        if error.code == "consent_invalid":
            # The second click of a double click: the code was spent by the first, which filed.
            earlier = (
                staff_dossiers(request.user)
                .filter(written_by=request.user, consent__challenge=consent["challenge"])
                .first()
            )
            if earlier is not None:
                return {"code": earlier.code, "secret": earlier.lookup_secret}
        return error.as_dict()
    return {"code": submitted.dossier.code, "secret": submitted.dossier.lookup_secret}


def _file_with_photo(request, filing: Filing, consent: dict) -> dict:
    token = request.POST.get("submission", "")
    if not SUBMISSION_TOKEN.fullmatch(token):  # an old or edited page: a new one has a token
        return {"error": {"code": "expired", "message": _("This page has expired. Send again.")}}
    # The page's one-time token is this filing's idempotency key.
    request.META["HTTP_" + HEADER.upper().replace("-", "_")] = token
    request.__dict__.pop("headers", None)  # HttpRequest.headers is cached on first use

    def handler():
        submitted = dossier_submit(**filing.submit_kwargs(consent))
        return 201, {"code": submitted.dossier.code, "secret": submitted.dossier.lookup_secret}

    try:
        response = idempotent(request, scope="community_file", handler=handler)
    except DomainError as error:  # the first click still filing, a reused token
        return error.as_dict()
    return json.loads(response.content)


def _filed(request, outcome: dict):
    filed = dict(request.session.get(FILED_KEY, {}))
    filed[outcome["code"]] = outcome["secret"]
    request.session[FILED_KEY] = dict(list(filed.items())[-KEEP_FILED:])
    messages.success(request, _("The dossier is filed: %(code)s.") % {"code": outcome["code"]})
    return redirect("community:dossier", code=outcome["code"])


def _render(request, filing: Filing, *, notice: str = "", status: int = 200):
    specs = filing.visible_specs()
    places = field_places(filing.commune.province.code)
    errors = filing.errors
    fields = [
        forms.field_view(
            spec, filing.answers.get(spec["name"]), errors, places=places, applicant=False
        )
        for spec in specs
    ]
    links = [{"href": "#file-form", "message": m} for m in errors.get("_form", [])]
    links += forms.error_links(errors, specs)
    for key, anchor in (
        ("_delivery", "f-delivery"),
        ("_consent", "f-consent"),
        ("_method", "f-method"),
        ("consent_photo", "f-consent-photo"),
        ("consent_code", "f-consent-code"),
    ):
        links += [{"href": f"#{anchor}", "message": message} for message in errors.get(key, [])]
    photo = places["uploads_of"](filing.photo)
    context = {
        "member": request.member,
        "team": request.member.team,
        "nav": "file",
        "procedure": filing.procedure,
        "fields": fields,
        "title": filing.procedure.name,
        "shown": " ".join(spec["name"] for spec in specs),
        "error_links": links,
        "delivery_errors": errors.get("_delivery", []),
        "consent_errors": errors.get("_consent", []),
        "method_errors": errors.get("_method", []),
        "photo_errors": errors.get("consent_photo", []),
        "code_errors": errors.get("consent_code", []),
        "notice": notice,
        "deliveries": [(c.value, c.label) for c in filing.deliveries],
        "delivery": filing.delivery,
        "consent_given": filing.consent_given,
        "method": filing.method,
        "challenge": filing.challenge,
        "photo": photo,
        "submission": secrets.token_urlsafe(24),
        "action_url": reverse("community:file_form", args=[filing.procedure.code]),
    }
    return render(request, "community/file_form.html", context, status=status)


@member_required
def filed_dossier(request, code: str):
    """One dossier the member filed, where it stands; any other dossier is not found (404). Right
    after filing, the code and the secret the resident follows it with."""
    dossier = (
        staff_dossiers(request.user)
        .filter(written_by=request.user, code=code)
        .select_related("procedure")
        .first()
    )
    if dossier is None:
        raise Http404
    secret = request.session.get(FILED_KEY, {}).get(dossier.code, "")
    return render(
        request,
        "community/dossier.html",
        {
            "member": request.member,
            "team": request.member.team,
            "nav": "dossiers",
            "dossier": dossier,
            "secret": secret,
            "lookup_url": reverse("portal:lookup"),
            "log_url": reverse("community:field_log") + f"?dossier={dossier.code}",
        },
    )
