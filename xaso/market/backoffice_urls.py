from django.urls import path

from . import backoffice

app_name = "market_office"
urlpatterns = [
    path("", backoffice.home, name="home"),
    path("producers/new/", backoffice.producer_new, name="producer_new"),
    path("products/new/", backoffice.product_new, name="product_new"),
    path("products/<slug:code>/", backoffice.product, name="product"),
    path("lots/<str:code>/labels.pdf", backoffice.lot_labels, name="lot_labels"),
]
