"""The results screens, in the Django admin until the back-office issue moves them: the signed
results (read-only, each downloadable, revocable by the commune administrator with a reason),
the leaders' signing credentials (a PKCS#12 file and its password, uploaded by the commune
administrator) and the trusted CA certificates. Scoped to the user's communes like every staff
screen; every write goes through a service (which checks the role and audits)."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.accounts.models import Membership, Role, User
from xaso.accounts.scoped_admin import CommuneScopedAdmin
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import personal_data_view_log
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError
from xaso.places.models import Commune

from . import credentials, services
from .models import ResultDocument, SigningCredential, TrustAnchor
from .selectors import result_filename

MAX_CERTIFICATE_FILE = 64 * 1024


class RevokeForm(admin.helpers.ActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


@admin.register(ResultDocument)
class ResultDocumentAdmin(CommuneScopedAdmin):
    list_display = ["number", "issued_at", "kind", "dossier_code", "signer_name", "revoked_at",
                    "download_link"]  # fmt: skip
    list_filter = ["kind", ("commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "dossier__code"]
    list_select_related = ["dossier", "commune"]
    ordering = ["-signed_at", "-id"]
    date_hierarchy = "signed_at"
    exclude = ["pdf"]
    readonly_fields = ["dossier", "commune", "number", "kind", "holder_name", "issued_at",
                       "signed_at", "signer_name", "signer_title", "sha256", "file_sha256", "seal",
                       "electronic", "revoked_at", "revoke_reason", "revoked_by"]  # fmt: skip
    action_form = RevokeForm
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    @admin.display(description=gettext_lazy("dossier"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code

    @admin.display(description=gettext_lazy("PDF"))
    def download_link(self, obj):
        url = reverse("admin:results_resultdocument_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", view(self.pdf_view), name="results_resultdocument_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise Http404
        document = get_object_or_404(
            super().get_queryset(request).select_related("dossier__receiving_commune"), pk=pk
        )
        personal_data_view_log(
            actor=request.user,
            object_type="dossier",
            object_id=document.dossier.code,
            fields=["result"],
            commune_code=document.dossier.receiving_commune.code,
            purpose="admin_result_pdf",
        )
        return file_response(bytes(document.pdf), result_filename(document), PDF)

    @admin.action(description=gettext_lazy("Revoke (give the reason)…"))
    def revoke(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        for document in queryset:
            try:
                services.result_revoke(actor=request.user, document=document, reason=reason)
            except DomainError as error:
                self.message_user(
                    request, _("Result %(number)s: %(error)s")
                    % {"number": document.number, "error": error.message}, messages.ERROR,
                )  # fmt: skip
            else:
                self.message_user(
                    request, _("Result %(number)s revoked.") % {"number": document.number},
                    messages.SUCCESS,
                )  # fmt: skip


def _admin_communes(user):
    communes = Commune.objects.order_by("name")  # a form field's queryset (one commune, mostly)
    if user.is_superuser:
        return communes
    return staff_scope(user).filter(communes, roles=[Role.COMMUNE_ADMIN])


class Pkcs12Form(forms.Form):
    commune = forms.ModelChoiceField(label=gettext_lazy("Commune"), queryset=Commune.objects.none())
    leader = forms.ModelChoiceField(label=gettext_lazy("Leader"), queryset=User.objects.none())
    signer_title = forms.CharField(
        label=gettext_lazy("Title printed with the signature"), max_length=100,
        initial="Chủ tịch UBND xã",
    )  # fmt: skip
    file = forms.FileField(label=gettext_lazy("PKCS#12 file (.p12, .pfx)"))
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = _admin_communes(user)
        self.fields["commune"].queryset = communes
        leaders = Membership.objects.filter(role=Role.LEADER, commune__in=communes)
        self.fields["leader"].queryset = User.objects.filter(
            pk__in=leaders.values("user_id")
        ).order_by("username")


class CommuneAdminOnly(CommuneScopedAdmin):
    """Screens for the commune administrator (and superusers) only: keys are nobody else's."""

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not super().has_view_permission(request, obj):
            return False
        return user.is_superuser or bool(staff_scope(user).commune_ids([Role.COMMUNE_ADMIN]))


@admin.register(SigningCredential)
class SigningCredentialAdmin(CommuneAdminOnly):
    list_display = ["user", "commune", "backend", "signer_title", "certificate_subject",
                    "certificate_expires", "is_active", "created_at"]  # fmt: skip
    list_filter = ["backend", "is_active"]
    list_select_related = ["user", "commune"]
    ordering = ["-created_at"]
    exclude = ["pkcs12"]
    readonly_fields = ["user", "commune", "backend", "signer_title", "module_path", "token_label",
                       "key_label", "key_id", "certificate_subject", "certificate_expires",
                       "is_active", "created_at"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pkcs12")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="results_signingcredential_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if _admin_communes(request.user).exists():
            url = reverse("admin:results_signingcredential_upload")
            self.message_user(
                request,
                format_html('<a href="{}">{}</a>', url, _("Upload a leader's PKCS#12 file…")),
                messages.INFO,
            )
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not _admin_communes(request.user).exists():
            raise Http404
        form = Pkcs12Form(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            try:
                if file.size > MAX_CERTIFICATE_FILE:
                    raise credentials.CredentialInvalid(_("The file is too large."))
                credentials.credential_add_pkcs12(
                    actor=request.user, user=form.cleaned_data["leader"],
                    commune=form.cleaned_data["commune"], data=file.read(),
                    password=form.cleaned_data["password"],
                    signer_title=form.cleaned_data["signer_title"],
                )  # fmt: skip
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(request, _("The signing credential was saved."))
                return redirect("admin:results_signingcredential_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Upload a leader's PKCS#12 file"),
            "form": form,
            "changelist_url": "admin:results_signingcredential_changelist",
        }
        return TemplateResponse(request, "admin/results/upload.html", context)


class AnchorForm(forms.Form):
    commune = forms.ModelChoiceField(label=gettext_lazy("Commune"), queryset=Commune.objects.none())
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("CA certificate (.cer, .crt, .pem)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _admin_communes(user)


@admin.register(TrustAnchor)
class TrustAnchorAdmin(CommuneAdminOnly):
    """CA certificates: the deployment's (no commune) are listed to everyone, the others to
    their commune's staff."""

    list_display = ["name", "commune", "fingerprint", "created_at"]
    ordering = ["name"]
    exclude = ["certificate", "dev_issuer_key"]
    readonly_fields = ["name", "commune", "fingerprint", "created_at"]

    def get_queryset(self, request):
        queryset = TrustAnchor.objects.defer("certificate", "dev_issuer_key")
        if request.user.is_superuser:
            return queryset
        scoped = staff_scope(request.user).filter(queryset, commune_field="commune")
        return scoped | queryset.filter(commune__isnull=True)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="results_trustanchor_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if _admin_communes(request.user).exists():
            url = reverse("admin:results_trustanchor_upload")
            self.message_user(
                request, format_html('<a href="{}">{}</a>', url, _("Add a CA certificate…")),
                messages.INFO,
            )  # fmt: skip
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not _admin_communes(request.user).exists():
            raise Http404
        form = AnchorForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            try:
                if file.size > MAX_CERTIFICATE_FILE:
                    raise credentials.CredentialInvalid(_("The file is too large."))
                credentials.trust_anchor_add(
                    actor=request.user, name=form.cleaned_data["name"],
                    certificate_data=file.read(), commune=form.cleaned_data["commune"],
                )  # fmt: skip
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(request, _("The CA certificate is trusted."))
                return redirect("admin:results_trustanchor_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a CA certificate"),
            "form": form,
            "changelist_url": "admin:results_trustanchor_changelist",
        }
        return TemplateResponse(request, "admin/results/upload.html", context)
