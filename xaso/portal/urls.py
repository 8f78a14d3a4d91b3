from django.urls import path

from . import (
    account,
    apply,
    kiosk,
    lookup,
    personal_data,
    status_files,
    supplement,
    verify,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("thu-tuc/", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/huong-dan.pdf", views.procedure_guide, name="procedure_guide"),
    path("thu-tuc/<str:code>/nop/", apply.apply_start, name="apply_start"),
    path("thu-tuc/<str:code>/nop/buoc-<int:number>/", apply.apply_step, name="apply_step"),
    path("thu-tuc/<str:code>/nop/xem-lai/", apply.apply_review, name="apply_review"),
    path("thu-tuc/<str:code>/nop/da-luu/", apply.apply_saved, name="apply_saved"),
    path("thu-tuc/<str:code>/nop/tiep-tuc/<str:token>/", apply.apply_resume, name="apply_resume"),
    path("thu-tuc/<str:code>/nop/da-nop/<str:dossier_code>/", apply.apply_done, name="apply_done"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/danh-gia/", lookup.rate, name="rate"),
    path("tra-cuu/bo-sung/", supplement.supplement_send, name="supplement"),
    path("tra-cuu/mau/<slug:form>.pdf", status_files.status_form, name="status_form"),
    path("tra-cuu/bien-lai/<path:number>.pdf", status_files.status_receipt, name="status_receipt"),
    path("tra-cuu/vietqr.png", status_files.status_vietqr, name="status_vietqr"),
    path("xac-thuc/", verify.verify, name="verify"),
    path("dang-nhap/", account.sign_in, name="sign_in"),
    path("dang-nhap/ma/", account.sign_in_code, name="sign_in_code"),
    path("dang-xuat/", account.sign_out, name="sign_out"),
    path("ho-so-cua-toi/", account.my_dossiers, name="my_dossiers"),
    path("du-lieu-ca-nhan/", personal_data.personal_data, name="personal_data"),
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/thu-tuc/", kiosk.procedures, name="kiosk_procedures"),
    path("kiosk/tra-cuu/", kiosk.status, name="kiosk_status"),
    path("kiosk/danh-gia/", kiosk.rate, name="kiosk_rate"),
]
