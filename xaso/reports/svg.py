"""Charts drawn on the server as SVG (no script, no external request; they print): horizontal
bars of points against their maximum, and a line of a figure over months."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bars(items: list[tuple[str, float, float]], *, title: str, width: int = 320) -> str:
    """(label, value, maximum) rows: a grey bar for the maximum, a dark one for the value."""
    row, label_w = 28, 56
    height = row * len(items) + 8
    usable = width - label_w - 60
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    scale = max((m for _l, _v, m in items), default=1) or 1
    for n, (label, value, maximum) in enumerate(items):
        y = 4 + n * row
        full = usable * maximum / scale
        got = usable * min(value, maximum) / scale
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{full:.1f}" height="16" fill="#d8dde3"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{got:.1f}" height="16" fill="#1d4f91"/>'
            f'<text x="{label_w + full + 4:.1f}" y="{y + 17}" font-size="12">'
            f"{value:g}/{maximum:g}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def line(points: list[tuple[str, float]], *, title: str, top: float = 100, width=320) -> str:
    height, pad = 140, 28
    if not points:
        return ""
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    xy = [
        (pad + i * step, height - pad - (height - 2 * pad) * (value / top if top else 0))
        for i, (_label, value) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#888"/>',
        f'<polyline points="{path}" fill="none" stroke="#1d4f91" stroke-width="2"/>',
    ]
    for (x, y), (label, value) in zip(xy, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1d4f91"/>'
            f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="11" text-anchor="middle">'
            f"{value:g}</text>"
            f'<text x="{x:.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
