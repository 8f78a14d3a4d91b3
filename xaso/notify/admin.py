"""The outbox in the admin: what was sent to whom, what failed and why, and "Send again".

A commune administrator sees the messages about the dossiers their commune received, and no
other commune's; messages tied to no dossier (sign-in codes, the officers' digest) only a
superuser sees. Nothing is edited here: "Send again" goes through `services.outbox_retry`, which
audits it.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from xaso.accounts.models import Role
from xaso.accounts.scoped_admin import CommuneScopedAdmin
from xaso.accounts.scoping import staff_scope
from xaso.core.admin import ReadOnlyAdmin

from . import services
from .models import NotificationPreference, OutboxMessage

ADMIN_ROLES = [Role.COMMUNE_ADMIN]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(CommuneScopedAdmin):
    commune_field = "dossier__receiving_commune"
    list_display = ["created_at", "state", "channel", "template", "recipient", "dossier_code",
                    "attempts", "next_attempt_at", "sent_at", "short_error"]  # fmt: skip
    list_filter = ["state", "channel", "template", "created_at"]
    search_fields = ["recipient", "dossier__code"]
    list_select_related = ["dossier"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    readonly_fields = ["recipient", "channel", "template", "language", "dossier", "subject",
                       "text", "data", "state", "attempts", "next_attempt_at", "provider_id",
                       "last_error", "created_at", "sent_at"]  # fmt: skip
    actions = ["send_again"]

    def get_queryset(self, request):
        queryset = super(CommuneScopedAdmin, self).get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return staff_scope(request.user).filter(
            queryset, commune_field=self.commune_field, roles=ADMIN_ROLES
        )

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or bool(staff_scope(user).commune_ids(ADMIN_ROLES))

    @admin.display(description=gettext_lazy("dossier"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code if obj.dossier_id else ""

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=gettext_lazy("Send the failed messages again"))
    def send_again(self, request, queryset):
        reset = services.outbox_retry(actor=request.user, messages=list(queryset))
        if reset:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message will be sent again.",
                    "%(count)d messages will be sent again.",
                    reset,
                )
                % {"count": reset},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("None of the selected messages had failed."), messages.WARNING
            )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    """Citizens' choices, by phone number: read-only, for the superuser (they are set by the
    citizen, with a dossier's code and secret)."""

    list_display = ["phone", "channels", "opted_out", "user", "updated_at"]
    list_filter = ["opted_out"]
    search_fields = ["phone", "email", "user__username"]
    readonly_fields = ["phone", "user", "channels", "email", "opted_out", "updated_at"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)
