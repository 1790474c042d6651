"""Small charts drawn by hand: a sparkline and a status bar are a polyline and a few rectangles, drawn
for every row of a table, where a charting library's tens of milliseconds each would be too slow."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from indicators.charts.colours import BLACK, DARK_GREY, GREEN, MID_GREY, NOTHING, RED, YELLOW
from indicators.status import Rollup


def sparkline(values: list[Decimal | None], *, label: str) -> SafeString:
    """A small trend line (the latest point marked); `label` says in words what it shows (it is the
    image's accessible name). Padded so that neither the line nor the point is cut at the edges."""
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return NOTHING
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
    return format_html(
        '<svg class="luton-sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<polyline points="{points}" fill="none" stroke="{ink}" stroke-width="2" stroke-linejoin="round" />'
        '<circle cx="{x}" cy="{y}" r="3" fill="{ink}" /></svg>',
        w=width,
        h=height,
        label=label,
        points=points,
        ink=BLACK,
        x=f"{last_x:.1f}",
        y=f"{last_y:.1f}",
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
        return NOTHING
    parts, x = [], 0.0
    for name, colour in STATUS_BAR:
        count = getattr(rollup, name)
        if not count:
            continue
        share = width * count / total
        parts.append(
            format_html('<rect x="{}" width="{}" height="{}" fill="{}"/>', f"{x:.2f}", f"{share:.2f}", height, colour)
        )
        x += share
    # Kept small: a dashboard draws a hundred of these. A white edge parts the statuses.
    return format_html(
        '<svg class="luton-status-bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><g stroke="#fff">{parts}</g></svg>',
        w=width,
        h=height,
        parts=format_html_join("", "{}", ((part,) for part in parts)),
    )
