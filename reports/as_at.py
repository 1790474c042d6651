"""A pack's moments, from its query: `as_at` (its figures as they stood then, read from the audit history)
and `revised_since` (mark the figures revised since then, instead of since the previous issued pack).

Both are ISO 8601 dates and times (core.as_at.parse_moment); a moment that cannot be read, in the future,
before the portal's records begin, or a `revised_since` not before the pack's own moment is refused with a
message saying which (400).
"""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from core.as_at import BadMoment, describe, parse_moment, query_value, refuse_before_records
from reports.contents import Pack


def moments(request: HttpRequest) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The pack's `as_at` and `revised_since`, each None when not given (one query, with `as_at`)."""
    given = {name: request.GET[name] for name in ("as_at", "revised_since") if name in request.GET}
    found = {name: parse_moment(text, name=name) for name, text in given.items()}
    as_at, since = found.get("as_at"), found.get("revised_since")
    if as_at is not None:
        refuse_before_records(as_at, name=f"as_at={given['as_at'][:40]!r}")
    if since is not None and since >= (as_at or timezone.now()):
        raise BadMoment(
            f"revised_since={given['revised_since'][:40]!r} is not before the pack's own moment"
            + (f" (as_at, {describe(as_at)})" if as_at else "")
            + ": give an earlier one to compare with."
        )
    return as_at, since


def moments_query(pack: Pack, *, fixed: bool = False) -> dict[str, str]:
    """The query naming the pack's moments, for its downloads: `as_at` when it was asked for (or, `fixed`,
    always: the pack's own moment), and `revised_since` when that was asked for."""
    query = {}
    if pack.as_at is not None or fixed:
        query["as_at"] = query_value(pack.figures_as_at)
    if pack.revised_since is not None and pack.revised_since.asked:
        query["revised_since"] = query_value(pack.revised_since.moment)
    return query
