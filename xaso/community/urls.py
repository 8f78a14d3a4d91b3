from django.urls import path

from . import filing, workspace

app_name = "community"
urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    path("dang-nhap/", workspace.SignInView.as_view(), name="sign_in"),
    path("dang-xuat/", workspace.SignOutView.as_view(), name="sign_out"),
    path("nhat-ky/", workspace.field_log, name="field_log"),
    path("ho-so/", workspace.filed_dossiers, name="dossiers"),
    path("ho-so/<str:code>/", filing.filed_dossier, name="dossier"),
    path("nop-ho-so/", filing.choose_procedure, name="file_for_resident"),
    path("nop-ho-so/<str:code>/", filing.file_form, name="file_form"),
    path("sw.js", workspace.service_worker, name="service_worker"),
    path("manifest.webmanifest", workspace.manifest, name="manifest"),
]
