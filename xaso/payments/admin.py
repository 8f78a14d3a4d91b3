"""The payments screens, in the Django admin until the back-office issue moves them.

Every list is scoped to the communes where the user holds a role (`CommuneScopedAdmin`) and is
read-only: money is written by services only. An unmatched bank transfer is given to a dossier by
the admin action "Assign to the dossier code…" (`services.transaction_assign`, which checks the
reception role and audits); each payment's receipt downloads from its row; "Daily collection
summary" counts and totals the payments per day, procedure and method, and exports them to .xlsx.

Commune staff enter the admin because `accounts.services.membership_grant` marks every user given
a role as `is_staff`; they hold no Django model permissions, so the admin shows them the
commune-scoped screens and nothing else.
"""

import datetime
from io import BytesIO

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xaso.accounts.scoped_admin import CommuneScopedAdmin
from xaso.accounts.scoping import staff_scope
from xaso.core.cells import row_as_text
from xaso.core.downloads import PDF, XLSX, file_response
from xaso.core.errors import DomainError
from xaso.core.text import format_dong
from xaso.dossiers.models import Dossier

from . import services
from .models import BankTransaction, Payment, PaymentRequest
from .receipts import receipt_filename, receipt_pdf
from .selectors import receipt_read_log

DONG_FORMAT = '#,##0 "₫"'


def _dong(amount) -> str:
    return format_dong(amount or 0)


@admin.register(PaymentRequest)
class PaymentRequestAdmin(CommuneScopedAdmin):
    commune_field = "dossier__receiving_commune"
    list_display = ["dossier_code", "procedure", "amount_display", "paid_display", "status",
                    "updated_at"]  # fmt: skip
    list_filter = [
        "status",
        "payments__method",
        ("dossier__receiving_commune", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "dossier__code"]
    list_select_related = ["dossier__procedure"]
    ordering = ["-updated_at", "-id"]
    readonly_fields = ["dossier", "account", "amount", "paid_amount", "reference", "transfer_note",
                       "payload", "status", "fee_rule", "exemption", "exemption_evidence",
                       "created_at", "updated_at"]  # fmt: skip

    def get_queryset(self, request):
        # The method filter follows a to-many relation: one row per request all the same.
        return super().get_queryset(request).distinct()

    @admin.display(description=gettext_lazy("dossier"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code

    @admin.display(description=gettext_lazy("procedure"), ordering="dossier__procedure__code")
    def procedure(self, obj):
        return obj.dossier.procedure

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, obj):
        return _dong(obj.amount)

    @admin.display(description=gettext_lazy("paid"), ordering="paid_amount")
    def paid_display(self, obj):
        return _dong(obj.paid_amount)


class MatchFilter(admin.SimpleListFilter):
    """By match; the unmatched queue (what waits for an officer) unless asked otherwise."""

    title = gettext_lazy("match")
    parameter_name = "match"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*BankTransaction.Match.choices, (self.ALL, _("All"))]

    def _current(self):
        return self.value() or BankTransaction.Match.UNMATCHED

    def choices(self, changelist):
        for value, title in self.lookup_choices:
            yield {
                "selected": self._current() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        current = self._current()
        if current == self.ALL:
            return queryset
        return queryset.filter(match=current)


class AssignForm(admin.helpers.ActionForm):
    dossier_code = forms.CharField(label=gettext_lazy("Dossier code"), required=False)


@admin.register(BankTransaction)
class BankTransactionAdmin(CommuneScopedAdmin):
    commune_field = "account__commune"
    list_display = ["occurred_at", "transaction_id", "amount_display", "description", "match",
                    "dossier_code", "account", "source"]  # fmt: skip
    list_filter = [MatchFilter, "source", ("account__commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["transaction_id", "description", "request__dossier__code"]
    list_select_related = ["account", "request__dossier"]
    ordering = ["-occurred_at", "-id"]
    action_form = AssignForm
    actions = ["assign_to_dossier"]
    readonly_fields = ["account", "transaction_id", "amount", "description", "occurred_at",
                       "recorded_at", "source", "match", "request"]  # fmt: skip

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, obj):
        return _dong(obj.amount)

    @admin.display(description=gettext_lazy("dossier"), ordering="request__dossier__code")
    def dossier_code(self, obj):
        return obj.request.dossier.code if obj.request_id else ""

    @admin.action(description=gettext_lazy("Assign to the dossier code…"))
    def assign_to_dossier(self, request, queryset):
        code = (request.POST.get("dossier_code") or "").strip()
        if not code:
            self.message_user(request, _("Enter the code of the dossier."), messages.ERROR)
            return
        dossiers = Dossier.objects.select_related("receiving_commune")
        if not request.user.is_superuser:
            dossiers = staff_scope(request.user).filter(dossiers, commune_field="receiving_commune")
        dossier = dossiers.filter(code=code).first()
        if dossier is None:
            self.message_user(
                request, _("No dossier %(code)s in your communes.") % {"code": code},
                messages.ERROR,
            )  # fmt: skip
            return
        if not queryset:
            self.message_user(
                request, _("None of the selected transfers is in this list."), messages.ERROR
            )
            return
        for row in queryset:
            try:
                payment = services.transaction_assign(
                    actor=request.user, transaction=row, dossier=dossier
                )
            except DomainError as error:
                self.message_user(
                    request, _("Transfer %(transaction)s: %(error)s")
                    % {"transaction": row.transaction_id, "error": error.message},
                    messages.ERROR,
                )  # fmt: skip
            else:
                self.message_user(
                    request,
                    _("Transfer %(transaction)s assigned to %(code)s (receipt %(receipt)s).")
                    % {"transaction": row.transaction_id, "code": dossier.code,
                       "receipt": payment.receipt_number},
                    messages.SUCCESS,
                )  # fmt: skip


class SummaryForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    # "To" alone is also the addressee of the official letters ("Kính gửi"): a context of its own.
    end = forms.DateField(label=pgettext_lazy("end of a date range", "To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


@admin.register(Payment)
class PaymentAdmin(CommuneScopedAdmin):
    commune_field = "request__dossier__receiving_commune"
    list_display = ["receipt_number", "at", "dossier_code", "method", "amount_display",
                    "recorded_by", "receipt_link"]  # fmt: skip
    list_filter = ["method", ("request__dossier__receiving_commune",
                              admin.RelatedOnlyFieldListFilter)]  # fmt: skip
    search_fields = ["receipt_number", "request__dossier__code", "request__reference"]
    list_select_related = ["request__dossier", "recorded_by"]
    ordering = ["-at", "-id"]
    date_hierarchy = "at"
    readonly_fields = ["request", "method", "amount", "transaction", "recorded_by", "at",
                       "receipt_number"]  # fmt: skip

    @admin.display(description=gettext_lazy("dossier"), ordering="request__dossier__code")
    def dossier_code(self, obj):
        return obj.request.dossier.code

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, obj):
        return _dong(obj.amount)

    @admin.display(description=gettext_lazy("receipt"))
    def receipt_link(self, obj):
        url = reverse("admin:payments_payment_receipt", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download receipt"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/receipt/", view(self.receipt_view), name="payments_payment_receipt"),
            path("summary/", view(self.summary_view), name="payments_payment_summary"),
            *super().get_urls(),
        ]

    # ---- the receipt ----

    def receipt_view(self, request, pk):
        if not self.has_view_permission(request):
            raise Http404
        payment = get_object_or_404(
            self.get_queryset(request).select_related(
                "request__dossier__receiving_commune", "request__dossier__procedure",
                "transaction__account", "recorded_by",
            ),
            pk=pk,
        )  # fmt: skip
        receipt_read_log(request.user, payment, purpose="admin_receipt")
        return file_response(receipt_pdf(payment), receipt_filename(payment), PDF)

    # ---- the daily collection summary ----

    def summary_rows(self, request, start, end) -> list[dict]:
        """Per day (in Vietnam), commune, procedure and method: how many payments and how much."""
        day = TruncDate("at", tzinfo=timezone.get_current_timezone())
        rows = (
            self.get_queryset(request)
            .annotate(day=day)
            .filter(day__gte=start, day__lte=end)
            .values(
                "day",
                "request__dossier__receiving_commune__code",
                "request__dossier__procedure__code",
                "request__dossier__procedure__name",
                "method",
            )
            .annotate(count=Count("id"), total=Sum("amount"))
            .order_by("day", "request__dossier__receiving_commune__code",
                      "request__dossier__procedure__code", "method")
        )  # fmt: skip
        methods = dict(Payment.Method.choices)
        return [
            {
                "day": row["day"],
                "commune": row["request__dossier__receiving_commune__code"],
                "procedure_code": row["request__dossier__procedure__code"],
                "procedure": row["request__dossier__procedure__name"],
                "method": str(methods.get(row["method"], row["method"])),
                "count": row["count"],
                "total": row["total"] or 0,
                "total_display": _dong(row["total"]),
            }
            for row in rows
        ]

    def summary_view(self, request):
        if not self.has_view_permission(request):
            raise Http404
        today = timezone.localdate()
        form = SummaryForm(request.GET or None)
        start, end = today.replace(day=1), today
        if form.is_valid():
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
        elif form.is_bound:
            start = end = None
        rows = self.summary_rows(request, start, end) if start else []
        if request.GET.get("export") == "xlsx" and start:
            return self.summary_xlsx(rows, start, end)
        count = sum(row["count"] for row in rows)
        total = sum(row["total"] for row in rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Daily collection summary"),
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "count": count,
            "total_display": _dong(total),
            "export_query": f"start={start.isoformat()}&end={end.isoformat()}&export=xlsx"
            if start
            else "",
        }
        return TemplateResponse(request, "admin/payments/summary.html", context)

    def summary_xlsx(self, rows: list[dict], start: datetime.date, end: datetime.date):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Collections")[:31]
        headers = [_("Day"), _("Commune"), _("Procedure code"), _("Procedure"), _("Method"),
                   _("Payments"), _("Total (đồng)")]  # fmt: skip
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row["day"], row["commune"], row["procedure_code"], row["procedure"],
                          row["method"], row["count"], row["total"]])  # fmt: skip
            row_as_text(sheet[sheet.max_row])
            sheet.cell(sheet.max_row, 1).number_format = "dd/mm/yyyy"
            sheet.cell(sheet.max_row, 7).number_format = DONG_FORMAT
        if rows:
            sheet.append([_("Total"), None, None, None, None, sum(r["count"] for r in rows),
                          sum(r["total"] for r in rows)])  # fmt: skip
            sheet.cell(sheet.max_row, 7).number_format = DONG_FORMAT
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for letter, width in zip("ABCDEFG", (12, 12, 14, 60, 20, 10, 16), strict=True):
            sheet.column_dimensions[letter].width = width
        buffer = BytesIO()
        workbook.save(buffer)
        name = f"thu-phi-{start.isoformat()}-{end.isoformat()}.xlsx"
        return file_response(buffer.getvalue(), name, XLSX)
