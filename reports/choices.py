"""What a pack's address asks for, checked once for its page, each download and the background task that
draws a large one, so that all of them build the same pack.

`/reports/<plan>/<period>/`: the period is a quarter ("2010-11-q2"), or a financial year ("2010-11") for the
year-end pack: the out-turn against the year's targets, built at the year's fourth quarter. The query
narrows it: `audience` (a committee's preset, reports/audiences.py), `partner` (the LAA targets one partner
signed up to, those it leads first), `department` (one department or directorate, with the units under
it), `figures=submitted` (the performance team's pack with figures awaiting sign-off), and the moments
`as_at` and `revised_since` (reports/as_at.py).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404

from core.as_at import query_value
from indicators.models import PeriodKind, ReportingPeriod
from partners.models import Partner
from plans.models import OrgUnit, Plan
from reports.as_at import moments_from
from reports.audiences import Audience
from reports.contents import Pack, pack_title, period_label, scope_of
from reports.packs import build_pack

FIGURES = {"approved": True, "submitted": False}  # ?figures= → published only
PARAMETERS = ("audience", "partner", "department", "figures")  # the query's choices, in the order they are written
# and the pack's moments (reports/as_at.py): `as_at`, `revised_since`


class BadChoice(ValueError):
    """A query parameter that names nothing known; the message says which, and what would do."""


@dataclass(frozen=True)
class PackChoice:
    plan: Plan
    period: ReportingPeriod  # what the address names: a quarter, or a year
    quarter: ReportingPeriod  # what the pack is built at: the quarter, or the year's fourth quarter
    audience: Audience = Audience.EVERYONE
    published_only: bool = True
    partner: Partner | None = None
    department: OrgUnit | None = None
    as_at: dt.datetime | None = None  # the figures as they stood then (reports/as_at.py)
    revised_since: dt.datetime | None = None

    @property
    def year_end(self) -> bool:
        return self.period.kind != PeriodKind.QUARTER

    @property
    def staff_only(self) -> bool:
        """Shows figures not yet approved: for the performance team alone."""
        return not self.published_only

    @property
    def params(self) -> dict[str, str]:
        """The choices and the moments asked for: with the plan and the period, all that names this pack."""
        moments = {"as_at": self.as_at, "revised_since": self.revised_since}
        return {**query_params(self), **{name: query_value(m) for name, m in moments.items() if m is not None}}

    @property
    def title(self) -> str:
        """The pack's title, known before it is built (the progress page of a pack drawn in the background)."""
        period = period_label(self.quarter, year_end=self.year_end)
        return pack_title(self.plan, self.audience, period, scope_of(self.partner, self.department))

    def build(self) -> Pack:
        return build_pack(
            self.plan,
            self.quarter,
            published_only=self.published_only,
            audience=self.audience,
            partner=self.partner,
            department=self.department,
            year_end=self.year_end,
            as_at=self.as_at,
            revised_since=self.revised_since,
        )


def query_params(pack: "PackChoice | Pack") -> dict[str, str]:
    """The query's choices that differ from the defaults, in a fixed order: with the plan and the period, what
    names a pack (its downloads' addresses, the key of a file drawn in the background)."""
    chosen = {
        "audience": "" if pack.audience == Audience.EVERYONE else pack.audience.value,
        "partner": pack.partner.slug if pack.partner else "",
        "department": pack.department.slug if pack.department else "",
        "figures": "" if pack.published_only else "submitted",
    }
    return {name: chosen[name] for name in PARAMETERS if chosen[name]}


def choose(plan: str, period: str, params: Mapping[str, str]) -> PackChoice:
    """The pack `plan`, `period` and the query `params` name. Raises Http404 for a plan or period that does
    not exist, BadChoice for a query parameter that names nothing known, BadMoment (core.as_at) for a moment
    that cannot be read. At most five queries: the plan, the periods, the partner or department named, the
    first record (with `as_at`)."""
    figures = params.get("figures", "approved")
    if figures not in FIGURES:
        raise BadChoice(
            f"figures={figures[:40]!r} is not a choice: use figures=approved (the default) or figures=submitted."
        )
    audience = params.get("audience", Audience.EVERYONE)
    if audience not in Audience:
        raise BadChoice(
            f"audience={audience[:40]!r} is not a choice: use " + ", ".join(f"audience={a}" for a in Audience) + "."
        )
    partner = department = None
    if slug := params.get("partner"):
        partner = Partner.objects.filter(slug=slug).first()
        if partner is None:
            raise BadChoice(
                f"partner={slug[:40]!r} is not a partner: use the last part of a partner page's address, "
                "such as partner=nhs-luton."
            )
    if slug := params.get("department"):
        department = OrgUnit.objects.filter(slug=slug).first()
        if department is None:
            raise BadChoice(
                f"department={slug[:40]!r} is not a department or directorate: use one the plan names, "
                "such as department=children-and-learning-department."
            )
    if partner is not None and department is not None:
        raise BadChoice("Choose a partner or a department, not both.")
    as_at, revised_since = moments_from(params)
    chosen_plan = Plan.objects.filter(slug=plan).first()
    if chosen_plan is None:
        raise Http404("No plan has that address")
    named, quarter = _period(period)
    return PackChoice(
        plan=chosen_plan,
        period=named,
        quarter=quarter,
        audience=Audience(audience),
        published_only=FIGURES[figures],
        partner=partner,
        department=department,
        as_at=as_at,
        revised_since=revised_since,
    )


def _period(slug: str) -> tuple[ReportingPeriod, ReportingPeriod]:
    """The period a slug names and the quarter its pack is built at (one query)."""
    periods = list(
        ReportingPeriod.objects.filter(kind__in=(PeriodKind.QUARTER, PeriodKind.FINANCIAL_YEAR)).select_related(
            "parent"
        )
    )
    named = next((p for p in periods if p.slug == slug), None)
    if named is not None and named.kind == PeriodKind.QUARTER:
        return named, named
    if named is not None:
        fourth = next((p for p in periods if p.parent_id == named.pk and p.quarter == 4), None)
        if fourth is not None:
            return named, fourth
    raise Http404("Report packs are for a quarter, such as 2010-11-q2, or a year's end, such as 2010-11")
