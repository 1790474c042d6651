"""Charts drawn on the server as SVG: no JavaScript, a title and a description for screen readers,
and always shown beside a table of the same numbers (the table is the accessible version)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.numbers import format_figure


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: Decimal | None
    target: Decimal | None = None


def _fmt(number: Decimal | float) -> str:
    return format_figure(number)


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def line_chart(points: list[ChartPoint], *, title: str, description: str, chart_id: str, unit: str = "") -> SafeString:
    """A line of figures by period with the target as a dashed line, 640×280, scaled to fit."""
    width, height, left, right, top, bottom = 640, 280, 64, 48, 20, 56
    numbers = [p.value for p in points if p.value is not None] + [p.target for p in points if p.target is not None]
    if not numbers:
        return _join([])
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

    # Every text goes in through format_html, which escapes it.
    parts = [
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c" />', left, top + plot_h, width - right, top + plot_h
        ),
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c" />', left, top, left, top + plot_h),
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * Decimal(str(fraction))
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#0b0c0c">{}{}</text>',
                left - 6,
                f"{y(value) + 4:.1f}",
                _fmt(round(value, 2)),
                unit,
            )
        )
    label_every = max(1, len(points) // 8)
    for index, point in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#0b0c0c">{}</text>',
                    f"{x(index):.1f}",
                    height - bottom + 18,
                    point.label,
                )
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
        parts.append(
            format_html('<path d="{}" fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4" />', d)
        )
    value_path = [(x(i), y(p.value), p) for i, p in enumerate(points) if p.value is not None]
    if value_path:
        d = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py, _p) in enumerate(value_path))
        parts.append(format_html('<path d="{}" fill="none" stroke="#0b0c0c" stroke-width="3" />', d))
        for px, py, point in value_path:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="#0b0c0c"><title>{}: {}{}</title></circle>',
                    f"{px:.1f}",
                    f"{py:.1f}",
                    point.label,
                    _fmt(point.value),
                    unit,
                )
            )
    legend_y = height - 12
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c" stroke-width="3" />',
            left,
            legend_y - 4,
            left + 24,
            legend_y - 4,
        )
    )
    parts.append(
        format_html('<text x="{}" y="{}" font-size="12" fill="#0b0c0c">Published figure</text>', left + 30, legend_y)
    )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4" />',
            left + 160,
            legend_y - 4,
            left + 184,
            legend_y - 4,
        )
    )
    parts.append(format_html('<text x="{}" y="{}" font-size="12" fill="#0b0c0c">Target</text>', left + 190, legend_y))
    return format_html(
        '<svg class="luton-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" font-family="Arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">{content}</svg>',
        w=width,
        h=height,
        id=chart_id,
        content=_join(parts),
    )


def sparkline(values: list[Decimal | None], *, label: str) -> SafeString:
    """A small trend line; `label` says in words what it shows (it is the image's accessible name)."""
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return _join([])
    width, height = 100, 24
    low, high = min(numbers), max(numbers)
    span = (high - low) or Decimal(1)
    step = width / (len(values) - 1)
    coordinates = [
        f"{index * step:.1f},{height - 2 - float((value - low) / span) * (height - 4):.1f}"
        for index, value in enumerate(values)
        if value is not None
    ]
    return format_html(
        '<svg class="luton-sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><polyline points="{points}" '
        'fill="none" stroke="#0b0c0c" stroke-width="2" /></svg>',
        w=width,
        h=height,
        label=label,
        points=" ".join(coordinates),
    )
