from django.urls import path, re_path

from . import views

app_name = "market"
urlpatterns = [
    path("san-pham/", views.catalogue, name="catalogue"),
    path("san-pham/anh/<slug:token>.jpg", views.photo, name="photo"),
    path("san-pham/anh/<slug:token>/<slug:size>.jpg", views.photo, name="photo_size"),
    path("san-pham/<str:commune>/<slug:code>/", views.product, name="product"),
    path("san-pham/<str:commune>/<slug:code>/da-gui/", views.inquiry_sent, name="inquiry_sent"),
    path("truy-xuat/<str:code>/", views.trace, name="trace"),
    re_path(
        r"^01/(?P<gtin>\d{8,14})/10/(?P<lot>[A-Za-z0-9-]{1,20})/?$",
        views.digital_link,
        name="digital_link",
    ),
]
