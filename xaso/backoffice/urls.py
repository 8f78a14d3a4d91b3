from django.urls import path  # noqa: F401 (the back-office pages are added here)

app_name = "backoffice"
urlpatterns: list = []
