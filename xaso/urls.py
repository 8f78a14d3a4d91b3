from django.contrib import admin
from django.urls import include, path

from xaso.api import api
from xaso.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/community/", include("xaso.community.backoffice_urls")),
    path("backoffice/market/", include("xaso.market.backoffice_urls")),
    path("backoffice/", include("xaso.backoffice.urls")),
    path("to-cong-nghe-so/", include("xaso.community.urls")),
    path("", include("xaso.market.urls")),
    path("", include("xaso.portal.urls")),
]
