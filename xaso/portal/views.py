from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    return render(request, "portal/home.html")


def favicon(request):
    """Browsers ask for /favicon.ico even on JSON pages; resolved per request because the
    hashed static name is only known once collectstatic has run."""
    return redirect(static("portal/favicon.svg"), permanent=True)
