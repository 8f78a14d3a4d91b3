from django.urls import path

from . import (
    admin_accounts,
    admin_offer_terms,
    admin_procedures,
    admin_rules,
    admin_signing,
    admin_staff,
    admin_villages,
    auth,
    desk,
    dossier,
    leader,
    queues,
    second_factor_pages,
    security,
)

app_name = "backoffice"
urlpatterns = [
    path("login/", auth.StaffLoginView.as_view(), name="login"),
    path("logout/", auth.StaffLogoutView.as_view(), name="logout"),
    path("second-factor/", second_factor_pages.verify, name="second_factor_verify"),
    path("second-factor/enrol/", second_factor_pages.enrol, name="second_factor_enrol"),
    path("security/", security.security_page, name="security"),
    path("security/sessions/<int:pk>/end/", security.session_end, name="session_end"),
    path("security/tokens/<int:pk>/revoke/", security.token_end, name="token_end"),
    path("", queues.home, name="home"),
    path("queues/<slug:queue>/", queues.queue_list, name="queue"),
    path("desk/", desk.desk_start, name="desk"),
    path("desk/cccd/", desk.cccd_read, name="cccd"),
    path("desk/<str:procedure_code>/", desk.desk_intake, name="intake"),
    path("register/", dossier.register_page, name="register"),
    path(
        "register/<str:commune_code>.<str:file_format>", dossier.register_file, name="register_file"
    ),
    path("dossiers/<str:code>/", dossier.dossier_page, name="dossier"),
    path("dossiers/<str:code>/actions/<slug:action>/", dossier.dossier_action, name="action"),
    path("dossiers/<str:code>/register-entry/", dossier.register_entry, name="register_entry"),
    path("dossiers/<str:code>/payment/<slug:operation>/", dossier.payment_action, name="payment"),
    path("dossiers/<str:code>/files/<str:token>/", dossier.attachment_file, name="attachment"),
    path("dossiers/<str:code>/forms/<slug:form>.pdf", dossier.document_file, name="document"),
    path("leader/", leader.leader_desk, name="leader"),
    path("leader/sign/", leader.leader_sign, name="leader_sign"),
    path("leader/drafts/<str:code>.pdf", leader.draft_preview, name="draft"),
    path("admin/villages/", admin_villages.village_list, name="villages"),
    path("admin/rules/", admin_rules.rule_list, name="rules"),
    path("admin/staff/", admin_staff.staff_list, name="staff"),
    path("admin/procedures/", admin_procedures.procedure_list, name="procedures"),
    path(
        "admin/procedures/<str:procedure_code>/",
        admin_offer_terms.offer_terms,
        name="offer_terms",
    ),
    path("admin/signing/", admin_signing.signing_page, name="signing"),
    path("admin/accounts/", admin_accounts.account_list, name="accounts"),
    path("admin/security/", security.commune_security, name="commune_security"),
]
