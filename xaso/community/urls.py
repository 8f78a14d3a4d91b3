from django.urls import path

from . import workspace

app_name = "community"
urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    path("dang-nhap/", workspace.SignInView.as_view(), name="sign_in"),
    path("dang-xuat/", workspace.SignOutView.as_view(), name="sign_out"),
    path("nhat-ky/", workspace.field_log, name="field_log"),
    path("ho-so/", workspace.filed_dossiers, name="dossiers"),
    path("nop-ho-so/", workspace.file_for_resident, name="file_for_resident"),
    path("sw.js", workspace.service_worker, name="service_worker"),
    path("manifest.webmanifest", workspace.manifest, name="manifest"),
]
