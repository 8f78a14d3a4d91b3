"""Charts drawn on the server as SVG (no script, no external request; they print): horizontal
bars of points against their maximum, and a line of a figure over months."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe


def figure(value: float) -> str:
    """A chart's number as the page writes it: the language's decimal sign (13,3 in
    Vietnamese), at most two decimals, none when whole."""
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    text = number_format(rounded, decimal_pos=2, force_grouping=True)
    sign = number_format(0.5, decimal_pos=1)[1]
    return text.rstrip("0").rstrip(sign) if sign in text else text


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
            f"{figure(value)}/{figure(maximum)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def line(points: list[tuple[str, float | None]], *, title: str, top: float = 100, width=320):
    """A figure over months; a month with nothing measured (None) has no point and breaks the
    line, its label reads "—" (an empty month is not a month of full marks)."""
    height, pad = 140, 28
    if not points:
        return ""
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def y_of(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value / top if top else 0)

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#888"/>',
    ]
    runs: list[list[tuple[float, float]]] = [[]]
    for i, (_label, value) in enumerate(points):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((pad + i * step, y_of(value)))
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="#1d4f91" stroke-width="2"/>'
            )
    for i, (label, value) in enumerate(points):
        x = pad + i * step
        if value is not None:
            y = y_of(value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1d4f91"/>'
                f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="11" text-anchor="middle">'
                f"{figure(value)}</text>"
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{height - pad - 6}" font-size="11" '
                'text-anchor="middle" fill="#555">—</text>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
