"""Staff sign-in and sign-out: Django's views with the back office's templates (django-axes
counts the failures through the authentication backend)."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class StaffLoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("backoffice:home")


class StaffLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("backoffice:login")
