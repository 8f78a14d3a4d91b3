"""Announcements as other channels carry them: the text of a Zalo Official Account article
(pasted into the OA's editor: plain paragraphs, the link back to the portal)."""

from django.utils.translation import gettext as _

from .models import Announcement


def zalo_article(item: Announcement, link: str = "") -> str:
    villages = ", ".join(village.name for village in item.villages.all())
    parts = [item.title.upper(), ""]
    if item.summary:
        parts += [item.summary, ""]
    parts += [paragraph.strip() for paragraph in item.body.splitlines() if paragraph.strip()]
    parts.append("")
    if villages:
        parts.append(_("For: %(villages)s") % {"villages": villages})
    parts.append(_("%(commune)s, %(date)s") % {
        "commune": item.commune.name,
        "date": item.published_at.strftime("%d/%m/%Y") if item.published_at else "",
    })  # fmt: skip
    if link:
        parts.append(_("Read more: %(link)s") % {"link": link})
    return "\n".join(parts).strip() + "\n"
