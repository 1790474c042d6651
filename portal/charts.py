"""Charts drawn on the server as SVG: no JavaScript, a title and a description for screen readers,
and always shown beside a table of the same numbers (the table is the accessible version)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.numbers import format_figure


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: Decimal | None
    target: Decimal | None = None


def _fmt(number: Decimal | float) -> str:
    return format_figure(number)


def line_chart(points: list[ChartPoint], *, title: str, description: str, chart_id: str, unit: str = "") -> SafeString:
    """A line of figures by period with the target as a dashed line, 640×280, scaled to fit."""
    width, height, left, right, top, bottom = 640, 280, 64, 48, 20, 56
    numbers = [p.value for p in points if p.value is not None] + [p.target for p in points if p.target is not None]
    if not numbers:
        return mark_safe("")
    low, high = min(numbers), max(numbers)
    if low == high:
        low, high = low - 1, high + 1
    padding = (high - low) / 10
    # Keep zero as the floor for figures that cannot be negative; pad the range a little either way.
    low = low - padding if low < 0 else max(Decimal(0), low - padding)
    high = high + padding
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return left + index * step if len(points) > 1 else left + plot_w / 2

    def y(value: Decimal) -> float:
        return top + plot_h - float((value - low) / (high - low)) * plot_h

    parts = [
        f'<svg class="luton-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="Arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#0b0c0c" />',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#0b0c0c" />',
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * Decimal(str(fraction))
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" fill="#0b0c0c">'
            f"{escape(_fmt(round(value, 2)))}{escape(unit)}</text>"
        )
    label_every = max(1, len(points) // 8)
    for index, point in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            parts.append(
                f'<text x="{x(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" '
                'fill="#0b0c0c">'
                f"{escape(point.label)}</text>"
            )
    # The target holds for a whole year: draw it as steps, not as a slope between years.
    target_path = []
    for i, point in enumerate(points):
        if point.target is None:
            continue
        if target_path and target_path[-1][1] != y(point.target):
            target_path.append((x(i), target_path[-1][1]))
        target_path.append((x(i), y(point.target)))
    if target_path:
        d = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(target_path))
        parts.append(f'<path d="{d}" fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4" />')
    value_path = [(x(i), y(p.value), p) for i, p in enumerate(points) if p.value is not None]
    if value_path:
        d = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py, _p) in enumerate(value_path))
        parts.append(f'<path d="{d}" fill="none" stroke="#0b0c0c" stroke-width="3" />')
        for px, py, point in value_path:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#0b0c0c"><title>{escape(point.label)}: '
                f"{escape(_fmt(point.value))}{escape(unit)}</title></circle>"
            )
    legend_y = height - 12
    parts.append(
        f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 24}" y2="{legend_y - 4}" stroke="#0b0c0c" '
        'stroke-width="3" />'
    )
    parts.append(f'<text x="{left + 30}" y="{legend_y}" font-size="12" fill="#0b0c0c">Published figure</text>')
    parts.append(
        f'<line x1="{left + 160}" y1="{legend_y - 4}" x2="{left + 184}" y2="{legend_y - 4}" stroke="#1d70b8" '
        f'stroke-width="2" stroke-dasharray="6 4" />'
    )
    parts.append(f'<text x="{left + 190}" y="{legend_y}" font-size="12" fill="#0b0c0c">Target</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def sparkline(values: list[Decimal | None], *, label: str) -> SafeString:
    """A small trend line; `label` says in words what it shows (it is the image's accessible name)."""
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return mark_safe("")
    width, height = 100, 24
    low, high = min(numbers), max(numbers)
    span = (high - low) or Decimal(1)
    step = width / (len(values) - 1)
    coordinates = [
        f"{index * step:.1f},{height - 2 - float((value - low) / span) * (height - 4):.1f}"
        for index, value in enumerate(values)
        if value is not None
    ]
    return mark_safe(  # noqa: S308 - the label is escaped
        f'<svg class="luton-sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><polyline points="{" ".join(coordinates)}" '
        'fill="none" stroke="#0b0c0c" stroke-width="2" /></svg>'
    )
