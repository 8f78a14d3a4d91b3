"""/thu-tuc/<code>/nop/: applying online, one page a step, working without JavaScript.

Every step is a plain POST that saves the answers to a draft (`dossiers.drafts`; its token in the
session and in a "resume later" link), so nothing typed is lost, even with errors. The review
page submits through `dossiers.submission.dossier_submit` under a one-time token (a double click
makes one dossier). Business rules stay in the domain apps: this module moves answers between
pages.
"""

import secrets

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.catalog.forms import validate_answers
from xaso.catalog.models import Procedure
from xaso.catalog.reading import answer_text, localized, place_names
from xaso.catalog.selectors import DatabasePlaces
from xaso.core.errors import DomainError, NotFound
from xaso.core.ratelimit import rate_limit, secret_check_limit
from xaso.core.text import by_name
from xaso.dossiers import drafts
from xaso.dossiers.models import ReturnChannel, Upload
from xaso.dossiers.uploads import upload_create
from xaso.places.models import Commune, Province, Village
from xaso.privacy.selectors import controller_contact, retention_for

from . import apply_forms as forms
from .account import is_citizen, my_documents_of
from .apply_submit import SUBMITTED_KEY, submit_review

DRAFTS_KEY = "portal_apply_drafts"  # session: procedure code -> draft token
DELIVERY_CHOICES = (ReturnChannel.COUNTER, ReturnChannel.ELECTRONIC)


# --- Loading what a page needs -------------------------------------------------------------------


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None or not procedure.form.get("fields"):
        raise Http404(_("No procedure has this code."))
    return procedure


def receiving_communes(procedure: Procedure) -> list[Commune]:
    """The communes of this deployment that take this procedure online (an agency code is what
    makes a commune receive dossiers here)."""
    return by_name(
        Commune.objects.filter(
            ~Q(agency_code=""),
            id__in=procedure.offers.filter(offered=True).values("commune_id"),
        ).select_related("province")
    )


class Application:
    """One citizen's application in progress: the draft (if saved yet) and its answers."""

    def __init__(self, request, procedure: Procedure):
        self.request = request
        self.procedure = procedure
        self.form = procedure.form
        self.steps = forms.form_steps(self.form)
        self.today = timezone.localdate()
        token = request.session.get(DRAFTS_KEY, {}).get(procedure.code)
        self.draft = None
        if token:
            try:
                self.draft = drafts.draft_by_token(token)
            except NotFound:
                self.forget()
        if self.draft is not None and self.draft.procedure_id != procedure.pk:
            self.draft = None
        self.answers = dict(self.draft.answers) if self.draft else {}
        self.meta = dict(self.draft.applicant) if self.draft else {}
        self.communes = receiving_communes(procedure)
        self._result = None

    # The answers, checked as a whole by the catalogue's validator.
    @property
    def result(self):
        if self._result is None:
            self._result = validate_answers(
                self.form, self.answers, places=DatabasePlaces(), today=self.today
            )
        return self._result

    def commune(self) -> Commune | None:
        chosen = self.meta.get("commune")
        for commune in self.communes:
            if commune.code == chosen:
                return commune
        return self.communes[0] if len(self.communes) == 1 else None

    def shown_steps(self) -> list[forms.Step]:
        clean = self.result.clean
        return [step for step in self.steps if forms.step_shown(step, clean, self.today)]

    def visible_specs(self, step: forms.Step) -> list[dict]:
        return [spec for spec in step.specs if forms.is_shown(spec, self.result.clean, self.today)]

    def delivery_choices(self) -> tuple:
        """The ways of receiving the result this procedure allows (marriage: at the desk only)."""
        allowed = self.procedure.delivery_channels
        return tuple(c for c in DELIVERY_CHOICES if not allowed or c in allowed)

    def step_errors(self, step: forms.Step) -> dict:
        errors: dict[str, list[str]] = {}
        names = {spec["name"] for spec in self.visible_specs(step)}
        for key, messages in self.result.errors.items():
            if key.split(".")[0] in names:
                errors[key] = list(messages)
        if step.number == 1 and self.commune() is None:
            errors["_commune"] = [_("Choose the commune to send your application to.")]
        if step.kind == forms.DELIVERY and self.meta.get("delivery") not in self.delivery_choices():
            errors["_delivery"] = [_("Choose how you want to receive the result.")]
        return errors

    def save(self) -> None:
        self._result = None
        if self.draft is None:
            commune = self.commune() or (self.communes[0] if self.communes else None)
            if commune is None:
                raise Http404(_("This commune does not offer this procedure."))
            self.draft = drafts.draft_create(
                actor=self.request.user,
                commune_code=commune.code,
                procedure_code=self.procedure.code,
                applicant=self.meta,
                answers=self.answers,
            )
            tokens = dict(self.request.session.get(DRAFTS_KEY, {}))
            tokens[self.procedure.code] = self.draft.token
            self.request.session[DRAFTS_KEY] = tokens
        else:
            drafts.draft_update(token=self.draft.token, applicant=self.meta, answers=self.answers)

    def forget(self) -> None:
        tokens = dict(self.request.session.get(DRAFTS_KEY, {}))
        tokens.pop(self.procedure.code, None)
        self.request.session[DRAFTS_KEY] = tokens

    # Addresses.
    def url(self, name: str, *args) -> str:
        return reverse(f"portal:{name}", args=[self.procedure.code, *args])

    def step_url(self, step: forms.Step) -> str:
        return self.url("apply_step", step.number)

    def resume_url(self) -> str:
        if self.draft is None:
            return ""
        return self.request.build_absolute_uri(self.url("apply_resume", self.draft.token))

    def next_url(self, step: forms.Step) -> str:
        for later in self.shown_steps():
            if later.number > step.number:
                return self.step_url(later)
        return self.url("apply_review")

    def first_unfinished(self, *, check: bool = True) -> str:
        """The first step with something missing or wrong (its errors shown with `check`: not
        for questions the applicant has not seen yet), or the review."""
        for step in self.shown_steps():
            if self.step_errors(step):
                return self.step_url(step) + ("?check=1" if check else "")
        return self.url("apply_review")


# --- Places for the address fields (small lists: a phone on 3G) ----------------------------------


def _places(application: Application) -> dict:
    commune = application.commune()
    default_province = (
        commune.province.code
        if commune
        else (application.communes[0].province.code if application.communes else "")
    )
    return field_places(default_province)


def field_places(default_province: str) -> dict:
    """The `places` that `apply_forms.field_view` draws address and file fields with (also used
    by the community team's filing page)."""

    def communes_of(province: str) -> list:
        return by_name(Commune.objects.filter(province__code=province).values("code", "name"))

    def villages_of(commune_code: str) -> list:
        return by_name(Village.objects.filter(commune__code=commune_code).values("code", "name"))

    def uploads_of(tokens: list) -> list:
        found = Upload.objects.in_bulk(tokens, field_name="token")
        return [
            {"token": token, "kind": found[token].kind, "kb": max(found[token].size // 1024, 1)}
            for token in tokens
            if token in found
        ]

    return {
        "default_province": default_province,
        "provinces": lambda: by_name(Province.objects.values("code", "name")),
        "communes_of": communes_of,
        "villages_of": villages_of,
        "uploads_of": uploads_of,
    }


# --- Pages ---------------------------------------------------------------------------------------


def apply_start(request, code: str):
    """The first step (the applicant), or where a resumed application stopped."""
    application = Application(request, _procedure(code))
    if application.draft is not None and application.answers:
        return redirect(application.first_unfinished(check=False))
    return apply_step(request, code, 1)


def apply_resume(request, code: str, token: str):
    """The "resume later" link: takes the draft into this browser's session."""
    procedure = _procedure(code)
    try:
        secret_check_limit(request)  # the token in the link is the draft's only key
    except DomainError as error:
        response = HttpResponse(str(error.message), status=error.status, content_type="text/plain")
        for name, value in error.headers.items():  # Retry-After
            response[name] = value
        return response
    try:
        draft = drafts.draft_by_token(token)
    except NotFound:
        return render(request, "portal/apply/expired.html", {"procedure": procedure}, status=404)
    if draft.procedure_id != procedure.pk:
        raise Http404
    tokens = dict(request.session.get(DRAFTS_KEY, {}))
    tokens[procedure.code] = draft.token
    request.session[DRAFTS_KEY] = tokens
    return redirect(Application(request, procedure).first_unfinished(check=False))


def _read_step(application: Application, step: forms.Step, request) -> dict:
    """Take this page's answers from the POST into the application; returns upload errors."""
    post = request.POST
    upload_errors: dict[str, list[str]] = {}
    for spec in application.visible_specs(step):
        name = spec["name"]
        if spec["type"] == "file":
            application.answers[name], errors = read_files(request, spec)
            if errors:
                upload_errors[name] = errors
        else:
            application.answers[name] = forms.read_field(spec, post)
    if step.number == 1 and "commune" in post:
        application.meta["commune"] = post["commune"][:16]
    if step.kind == forms.DELIVERY:
        application.meta["delivery"] = post.get("delivery", "")[:16]
    return upload_errors


def read_files(request, spec: dict) -> tuple[list[str], list[str]]:
    """A file field's answer from a POST: the upload tokens kept (less those removed) and the
    files sent now, stored as uploads; and the messages of the files refused."""
    name = spec["name"]
    kept = [token[:64] for token in request.POST.getlist(f"{name}.token") if token]
    removed = set(request.POST.getlist(f"{name}.remove"))
    tokens = [token for token in kept if token not in removed]
    errors = []
    for file in request.FILES.getlist(name)[: spec.get("max_files", 5)]:
        try:
            if not request.user.is_authenticated:  # as the uploads API counts them
                rate_limit(request, "upload", settings.XASO_RATE_ANON_SUBMIT)
            tokens.append(upload_create(actor=request.user, data=file).token)
        except DomainError as error:
            errors.append(str(error.message))
    return list(dict.fromkeys(tokens)), errors


def apply_step(request, code: str, number: int):
    procedure = _procedure(code)
    application = Application(request, procedure)
    step = next((s for s in application.steps if s.number == number), None)
    if step is None:
        raise Http404
    if not application.communes:
        context = {"procedure": procedure}
        return render(request, "portal/apply/unavailable.html", context, status=404)
    show_errors = request.GET.get("check") == "1"
    upload_errors: dict = {}
    if request.method == "POST":
        upload_errors = _read_step(application, step, request)
        try:
            application.save()
        except DomainError as error:  # a draft too large: say so, keep the page as typed
            upload_errors["_draft"] = [str(error.message)]
        action = request.POST.get("_action", "next")
        if any(key.endswith(".remove") for key in request.POST):
            action = "refresh"  # a file removed: show the page again
        if action == "save" and application.draft is not None:
            return redirect(application.url("apply_saved"))
        if action == "refresh":  # the province changed: show its communes (no JavaScript)
            return redirect(application.step_url(step))
        errors = {**application.step_errors(step), **upload_errors}
        if not errors:
            if request.POST.get("from") == "review":  # a new answer may ask new questions
                return redirect(application.first_unfinished(check=False))
            return redirect(application.next_url(step))
        return _render_step(request, application, step, errors, status=400)
    if not forms.step_shown(step, application.result.clean, application.today):
        return redirect(application.next_url(step))
    errors = application.step_errors(step) if show_errors else {}
    return _render_step(request, application, step, errors)


def _earlier_documents(user) -> list[dict]:
    """A signed-in citizen's files from their own earlier dossiers, to tick instead of uploading
    the paper again (submission records them as reused: Decision 766 counts it)."""
    if not is_citizen(user):
        return []
    documents: dict[str, dict] = {}
    for attachment in my_documents_of(user):
        upload = attachment.upload
        documents.setdefault(
            upload.token,
            {
                "token": upload.token,
                "kind": upload.kind.upper(),
                "kb": max(upload.size // 1024, 1),
                "dossier": attachment.dossier.code,
                "procedure": attachment.dossier.procedure.name,
            },
        )
    return list(documents.values())


def _render_step(request, application: Application, step, errors: dict, status: int = 200):
    specs = application.visible_specs(step)
    places = _places(application)
    applicant_name = next(
        (spec["name"] for spec in application.form["fields"] if spec["type"] == "person"), None
    )
    fields = [
        forms.field_view(
            spec,
            application.answers.get(spec["name"]),
            errors,
            places=places,
            applicant=spec["name"] == applicant_name or spec["type"] == "phone",
        )
        for spec in specs
    ]
    if step.kind == forms.DOCUMENTS:
        earlier = _earlier_documents(request.user)
        for field in fields:
            if field["type"] == "file":
                chosen = {upload["token"] for upload in field["uploads"]}
                field["earlier"] = [doc for doc in earlier if doc["token"] not in chosen]
    # In the page's order: the commune comes first, the delivery choice last.
    links = [{"href": "#f-commune", "message": m} for m in errors.get("_commune", [])]
    links += forms.error_links(errors, specs)
    for key, anchor in (("_delivery", "f-delivery"), ("_draft", "apply-form")):
        links += [{"href": f"#{anchor}", "message": message} for message in errors.get(key, [])]
    shown = application.shown_steps()
    position = next((i for i, s in enumerate(shown, start=1) if s.number == step.number), 1)
    previous = [s for s in shown if s.number < step.number]
    context = {
        "procedure": application.procedure,
        "step": step,
        "title": forms.step_title(step, specs),
        "fields": fields,
        "errors": errors,
        "commune_errors": errors.get("_commune", []),
        "delivery_errors": errors.get("_delivery", []),
        "error_links": links,
        "position": position,
        "total": len(shown),
        "action_url": application.step_url(step),
        "back_url": application.step_url(previous[-1])
        if previous
        else reverse("portal:procedure", args=[application.procedure.code]),
        "communes": application.communes,
        "commune": application.commune(),
        "delivery": application.meta.get("delivery", ""),
        "delivery_choices": [(c.value, c.label) for c in application.delivery_choices()],
        "from_review": request.GET.get("from") == "review" or request.POST.get("from") == "review",
        # The ID card scan fills the applicant: the first person of the first page.
        "scan_person": next((f["name"] for f in fields if f["type"] == "person"), "")
        if step.number == 1
        else "",
        "multipart": step.kind == forms.DOCUMENTS,
    }
    return render(request, "portal/apply/step.html", context, status=status)


def apply_saved(request, code: str):
    application = Application(request, _procedure(code))
    if application.draft is None:
        return redirect(application.url("apply_start"))
    return render(
        request,
        "portal/apply/saved.html",
        {
            "procedure": application.procedure,
            "resume_url": application.resume_url(),
            "continue_url": application.first_unfinished(check=False),
            "days": settings.XASO_DRAFT_DAYS,
        },
    )


def _review_sections(application: Application) -> list[dict]:
    names = place_names(application.form, application.result.clean)
    sections = []
    for step in application.shown_steps():
        specs = application.visible_specs(step)
        rows = [
            {
                "label": localized(spec["label"]),
                "value": answer_text(spec, application.result.clean.get(spec["name"]), names),
            }
            for spec in specs
        ]
        if step.number == 1 and len(application.communes) > 1 and application.commune():
            rows.insert(0, {"label": _("Send to"), "value": application.commune().name})
        if step.kind == forms.DELIVERY:
            labels = dict((c.value, c.label) for c in application.delivery_choices())
            rows = [
                {
                    "label": _("How to receive the result"),
                    "value": labels.get(application.meta.get("delivery"), ""),
                }
            ]
        sections.append(
            {
                "title": forms.step_title(step, specs),
                "rows": rows,
                "change_url": application.step_url(step) + "?from=review",
            }
        )
    return sections


def personal_data_notice(procedure, commune) -> dict:
    """What the notice of Law 91/2025 says of this procedure and commune: retention, contact."""
    retention = retention_for(procedure)
    return {
        "retention_years": retention.dossier_years,
        "retention_basis": retention.legal_basis,
        "contact": controller_contact(commune),
        "personal_data_url": reverse("portal:personal_data"),
    }


def apply_review(request, code: str):
    """Every answer with a "change" link, the personal-data notice, the declaration of truth,
    the optional uses of one's data (asked, never pre-ticked), submit."""
    application = Application(request, _procedure(code))
    error = ""
    status = 200
    if request.method == "POST":
        # Before the draft checks: the second click of a double click finds the draft gone and
        # must still land on the confirmation of the first.
        outcome = submit_review(request, application)
        if outcome.redirect_to:
            return redirect(outcome.redirect_to)
        error, status = outcome.error, outcome.status
    if application.draft is None:
        return redirect(application.url("apply_start"))
    unfinished = application.first_unfinished()
    if unfinished != application.url("apply_review"):
        return redirect(unfinished)
    context = {
        "procedure": application.procedure,
        "sections": _review_sections(application),
        "commune": application.commune(),
        "error": error,
        "submission_token": secrets.token_urlsafe(24),
        "action_url": application.url("apply_review"),
        "back_url": application.step_url(application.shown_steps()[-1]),
        "keep_days": settings.XASO_DRAFT_DAYS,
        **personal_data_notice(application.procedure, application.commune()),
    }
    return render(request, "portal/apply/review.html", context, status=status)


def apply_done(request, code: str, dossier_code: str):
    """The confirmation: code, secret, QR to the status page, the estimated fee, what comes next."""
    from .apply_submit import confirmation_context

    procedure = _procedure(code)
    submitted = request.session.get(SUBMITTED_KEY, {}).get(dossier_code)
    if not submitted:
        return redirect(reverse("portal:lookup") + f"?code={dossier_code}")
    return render(
        request,
        "portal/apply/done.html",
        confirmation_context(request, procedure, dossier_code, submitted),
    )
