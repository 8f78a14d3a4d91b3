from django.urls import path

from . import lookup, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("thu-tuc/", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/huong-dan.pdf", views.procedure_guide, name="procedure_guide"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
]
