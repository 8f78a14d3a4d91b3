"""/phan-anh/: anyone files a feedback (phản ánh, kiến nghị) with or without signing in, follows
it with its code and secret, answers the officer's question, rates the answer; and reads the
commune's published answers (no citizen's name, phone or own words). Plain forms, no JavaScript."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from xaso.core.errors import DomainError
from xaso.core.ratelimit import rate_limit, secret_check_limit
from xaso.dossiers.uploads import upload_create
from xaso.feedback import selectors, services
from xaso.feedback.models import Category
from xaso.places.models import Commune, Village

from .account import is_citizen

SCORES = (5, 4, 3, 2, 1)


def _communes():
    return list(Commune.objects.exclude(agency_code="").order_by("name").only("code", "name"))


def _status_url(code: str, secret: str) -> str:
    return f"{reverse('portal:feedback_status')}?{urlencode({'code': code, 'secret': secret})}"


def feedback_start(request):
    """The form (GET), or a feedback filed (POST) and the page with its code and secret."""
    communes = _communes()
    chosen = (
        request.POST.get("commune")
        or request.GET.get("commune")
        or (communes[0].code if len(communes) == 1 else "")
    )
    values = {"commune": chosen, "phone": request.user.phone if is_citizen(request.user) else ""}
    error, status = None, 200
    if request.method == "POST":
        names = ("commune", "category", "text", "phone", "name", "village", "place")
        values.update({name: request.POST.get(name, "") for name in names})
        try:
            if not request.user.is_authenticated:
                rate_limit(request, "feedback_file", settings.XASO_RATE_ANON_SUBMIT)
            photo = request.FILES.get("photo")
            photo_id = ""
            if photo is not None:
                actor = request.user if request.user.is_authenticated else None
                photo_id = upload_create(actor=actor, data=photo, filename=photo.name or "").token
            item = services.feedback_file(
                actor=request.user if request.user.is_authenticated else None,
                commune_code=values["commune"], category=values["category"],
                text=values["text"], phone=values["phone"], name=values["name"],
                village_code=values["village"], place=values["place"], photo_id=photo_id,
            )  # fmt: skip
        except DomainError as failure:
            error, status = failure.message, failure.status
        else:
            return render(request, "portal/feedback/filed.html",
                          {"item": item, "secret": item.lookup_secret,
                           "status_url": _status_url(item.code, item.lookup_secret)})  # fmt: skip
    villages = Village.objects.filter(commune__code=values["commune"]).order_by("name")
    return render(
        request,
        "portal/feedback/start.html",
        {"communes": communes, "villages": list(villages), "categories": Category.choices,
         "values": values, "error": error},
        status=status,
    )  # fmt: skip


def feedback_status(request):
    code = request.GET.get("code", "")[:48]
    secret = request.GET.get("secret", "")[:48]
    context = {"code": code, "secret": secret, "scores": SCORES}
    status = 200
    if code or secret:
        try:
            secret_check_limit(request)
            item = selectors.feedback_by_secret(code, secret)
        except DomainError as failure:
            context["error"], status = failure.message, failure.status
        else:
            context.update(item=item, timeline=selectors.public_timeline(item))
    return render(request, "portal/feedback/status.html", context, status=status)


@require_POST
def feedback_reply(request):
    """The citizen's answer to the question, or their rating of the answer."""
    code, secret = request.POST.get("code", "")[:48], request.POST.get("secret", "")[:48]
    try:
        secret_check_limit(request)
        if request.POST.get("score"):
            services.feedback_rate(
                code=code, secret=secret, score=int(request.POST["score"] or 0),
                comment=request.POST.get("comment", ""),
            )  # fmt: skip
        else:
            services.feedback_provide_info(code=code, secret=secret, text=request.POST.get("text"))
    except (DomainError, ValueError) as failure:
        return render(
            request, "portal/feedback/status.html",
            {"code": code, "secret": secret, "scores": SCORES,
             "error": getattr(failure, "message", str(failure))},
            status=getattr(failure, "status", 400),
        )  # fmt: skip
    return redirect(_status_url(code, secret))


def feedback_answers(request):
    """The commune's published answers."""
    communes = _communes()
    chosen = request.GET.get("commune") or (communes[0].code if communes else "")
    answers = list(selectors.published_answers(chosen)[:50]) if chosen else []
    return render(
        request,
        "portal/feedback/answers.html",
        {"communes": communes, "chosen": chosen, "answers": answers,
         "categories": dict(Category.choices)},
    )  # fmt: skip
