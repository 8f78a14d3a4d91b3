"""Small server-rendered SVG bar charts (no JavaScript, no library): a month's bars per village,
or a figure month by month. Plain data in, SVG markup out (escaped)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#1d70b8"


def bar_chart(items: list[tuple[str, int]], *, title: str, width: int = 320) -> SafeString:
    """Horizontal bars, one row per (label, value), the longest bar the largest value."""
    row, label_width = 18, 110
    height = row * len(items) + 4
    largest = max([value for _label, value in items] + [1])
    scale = (width - label_width - 40) / largest
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = index * row + 2
        text = escape(label if len(label) <= 18 else label[:17] + "…")
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="11">{text}</text>'
            f'<rect x="{label_width}" y="{y + 3}" height="12" width="{round(value * scale, 1)}"'
            f' fill="{BAR}"/><text x="{label_width + round(value * scale, 1) + 4}" y="{y + 13}"'
            f' font-size="11">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
