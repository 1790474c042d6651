"""Small charts drawn by hand: a sparkline and a status bar are a polyline and a few rectangles, drawn
for every row of a table, where a charting library's tens of milliseconds each would be too slow."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from indicators.status import Rollup
from portal.charts.colours import BLACK, DARK_GREY, GREEN, MID_GREY, RED, YELLOW


def sparkline(values: list[Decimal | None], *, label: str) -> SafeString:
    """A small trend line (the latest point marked); `label` says in words what it shows (it is the
    image's accessible name). Padded so that neither the line nor the point is cut at the edges."""
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return mark_safe("")
    width, height, pad = 88, 28, 4
    low, high = min(numbers), max(numbers)
    span = (high - low) or Decimal(1)
    step = (width - 2 * pad) / (len(values) - 1)
    coordinates = [
        (pad + index * step, height - pad - float((value - low) / span) * (height - 2 * pad))
        for index, value in enumerate(values)
        if value is not None
    ]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    last_x, last_y = coordinates[-1]
    return mark_safe(  # noqa: S308 - the label is escaped
        f'<svg class="luton-sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{points}" fill="none" stroke="{BLACK}" stroke-width="2" stroke-linejoin="round" />'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3" fill="{BLACK}" /></svg>'
    )


# A roll-up's statuses in the order the bar shows them, with their colours (as the status tags').
STATUS_BAR = (
    ("red", RED),
    ("amber", YELLOW),
    ("green", GREEN),
    ("not_judged", DARK_GREY),
    ("no_data", MID_GREY),
)


def status_bar(rollup: Rollup, *, width: int = 120, height: int = 12) -> SafeString:
    """A roll-up's counts as a small stacked bar: each status's share of the whole, worst first, so one
    indicator off track among forty shows as a fortieth. Decorative: always beside the counts in words
    (components/rollup.html), so hidden from screen readers."""
    total = rollup.total
    if not total:
        return mark_safe("")
    parts, x = [], 0.0
    for name, colour in STATUS_BAR:
        count = getattr(rollup, name)
        if not count:
            continue
        share = width * count / total
        parts.append(f'<rect x="{x:.2f}" width="{share:.2f}" height="{height}" fill="{colour}"/>')
        x += share
    # Kept small: a dashboard draws a hundred of these. A white edge parts the statuses.
    return mark_safe(  # noqa: S308 - numbers only
        f'<svg class="luton-status-bar" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><g stroke="#fff">'
        f'{"".join(parts)}</g></svg>'
    )
