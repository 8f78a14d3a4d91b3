"""/tin-tuc/: the commune's published announcements (light pages, no JavaScript), one
announcement, its notice-board print (HTML and PDF), its Zalo OA article text, and the Atom feed
(Django's syndication framework) of the published ones only."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError
from xaso.core.pdf import font_face_css, qr_data_uri, render_pdf
from xaso.dossiers.uploads import upload_page_response
from xaso.news import selectors
from xaso.news.models import Category
from xaso.news.texts import zalo_article
from xaso.places.models import Commune

PAGE_SIZE = 30


def _site(request) -> str:
    from django.conf import settings

    return (getattr(settings, "XASO_PUBLIC_URL", "") or request.build_absolute_uri("/")).rstrip("/")


def _published(code: str):
    try:
        return selectors.published_one(code)
    except DomainError as error:
        raise Http404 from error


def news_list(request):
    commune = request.GET.get("commune", "")[:16]
    category = request.GET.get("category", "")
    rows = selectors.published(commune)
    if category in Category.values:
        rows = rows.filter(category=category)
    communes = list(
        Commune.objects.filter(announcements__state="published").distinct().order_by("name")
    )
    return render(
        request,
        "portal/news/list.html",
        {"items": list(rows[:PAGE_SIZE]), "categories": Category.choices, "category": category,
         "communes": communes, "commune": commune},
    )  # fmt: skip


def news_page(request, code: str):
    item = _published(code)
    return render(request, "portal/news/page.html", {"item": item})


def news_file(request, code: str, token: str):
    """A published announcement's image or attachment, as the officers attached it (a picture
    shown, a PDF downloaded: a stored PDF may hold scripts). Linked from the page, not embedded,
    so the page stays light on a weak connection."""
    item = _published(code)
    upload = selectors.announcement_upload(item, token)
    if upload is None:
        raise Http404
    return upload_page_response(upload, f"thong-bao-{item.code}-{upload.token[:8]}")


def _print_css() -> str:
    from pathlib import Path

    return (Path(__file__).parent / "static/portal/news-print.css").read_text()


def _print_html(request, item, *, pdf: bool) -> str:
    link = _site(request) + reverse("portal:news_page", args=[item.code])
    return render_to_string(
        "portal/news/print.html",
        {"item": item, "qr": qr_data_uri(link), "link": link, "pdf": pdf,
         "fonts": font_face_css() if pdf else "", "css": _print_css() if pdf else ""},
        request=None if pdf else request,
    )  # fmt: skip


def news_print(request, code: str):
    """The notice-board print: one A4 sheet, large type, the QR code to the portal page."""
    return HttpResponse(_print_html(request, _published(code), pdf=False))


def news_print_pdf(request, code: str):
    item = _published(code)
    content = render_pdf(_print_html(request, item, pdf=True))
    return file_response(content, f"thong-bao-{item.code}.pdf", PDF, inline=True)


def news_zalo(request, code: str):
    """The text of a Zalo OA article, to paste into the OA's editor."""
    item = _published(code)
    link = _site(request) + reverse("portal:news_page", args=[item.code])
    return HttpResponse(zalo_article(item, link), content_type="text/plain; charset=utf-8")


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Announcements of the commune")
    subtitle = gettext_lazy("Published announcements of the People's Committee")

    def link(self):
        return reverse("portal:news")

    def items(self):
        return selectors.published()[:PAGE_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body[:400]

    def item_link(self, item):
        return reverse("portal:news_page", args=[item.code])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [Category(item.category).label]

    def item_author_name(self, item):
        return _("People's Committee of %(commune)s") % {"commune": item.commune.name}
