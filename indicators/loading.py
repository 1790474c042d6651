"""Loading indicators, reporting periods, baselines and targets from the curated fixtures."""

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.text import slugify

from core.sync import FixtureError, Syncer, read_yaml, save_checked
from indicators.codes import InvalidCode, code_slug, is_normalised, normalise_code
from indicators.models import (
    Baseline,
    Breakdown,
    Indicator,
    IndicatorAlias,
    IndicatorSet,
    OutcomeIndicator,
    PeriodKind,
    PlanIndicator,
    ReportingPeriod,
    Target,
)
from plans.loading import IndicatorRequest, text
from plans.models import Plan, Priority

# The code as printed at the start of an entry: "N1 14", "*Local NI 019", "BV34a", "LBC 1", "NI168".
_PRINTED_CODE = re.compile(r"^\s*\*?\s*(?:Local\s+)?(?:NI|N1|N|BV|LBC)\s*\d{1,3}[a-z]?\b", re.IGNORECASE)


# ---- Reporting periods -------------------------------------------------------------------------


def ensure_periods(path: Path) -> None:
    """Every financial year (with its quarters), academic and calendar year the fixtures list."""
    spec = read_yaml(path)
    first, last = spec["financial_years"]["first"], spec["financial_years"]["last"]
    for year in range(first, last + 1):
        start, end = ReportingPeriod.financial_year_bounds(year)
        fy = _ensure_period(PeriodKind.FINANCIAL_YEAR, ReportingPeriod.financial_year_label(year), start, end)
        for quarter in range(1, 5):
            q_start, q_end = ReportingPeriod.quarter_bounds(year, quarter)
            _ensure_period(PeriodKind.QUARTER, f"{fy.label} Q{quarter}", q_start, q_end, parent=fy, quarter=quarter)
    for year in spec.get("academic_years", []):
        # Labelled by the year its results are published: "2009" runs September 2008 to August 2009.
        _ensure_period(PeriodKind.ACADEMIC_YEAR, str(year), dt.date(year - 1, 9, 1), dt.date(year, 8, 31))
    for year in spec.get("calendar_years", []):
        _ensure_period(PeriodKind.CALENDAR_YEAR, str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def _ensure_period(kind: str, label: str, start: dt.date, end: dt.date, **extra: Any) -> ReportingPeriod:
    period, _ = ReportingPeriod.objects.get_or_create(
        kind=kind, label=label, defaults={"start": start, "end": end, **extra}
    )
    return period


class PeriodLookup:
    """Periods by label as fixtures write them: "2009/10" (financial), "2009" (academic or calendar)."""

    def __init__(self) -> None:
        self.by_kind_label = {(p.kind, p.label): p for p in ReportingPeriod.objects.all()}

    def get(self, label: Any, where: str, *, kinds: tuple[str, ...]) -> ReportingPeriod:
        label = str(label)
        for kind in kinds:
            if period := self.by_kind_label.get((kind, label)):
                return period
        raise FixtureError(f"{where}: unknown period {label!r} (expected e.g. 2009/10, or 2009 for academic years)")


# ---- The indicator catalogue -------------------------------------------------------------------


def _decimal(value: Any, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        raise FixtureError(f"{where}: write numbers as quoted strings ({value!r}) so nothing is rounded")
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise FixtureError(f"{where}: {value!r} is not a number") from error


def _indicator_set(code: str) -> str:
    if code.startswith("NI "):
        return IndicatorSet.NATIONAL
    if code.startswith("BV "):
        return IndicatorSet.BEST_VALUE
    return IndicatorSet.LOCAL


class IndicatorRegistry:
    """Resolves indicator references to Indicator rows, creating them the first time they are met.

    Coded indicators are one row per normalised code whatever plan names them; a measure with no
    code is identified by its wording within its plan. The first document (in load order) to name
    an indicator gives its catalogue title; every plan keeps its own wording on its link rows.
    """

    def __init__(self, catalogue: dict[str, dict]) -> None:
        self.catalogue = catalogue
        self.by_code = {i.code: i for i in Indicator.objects.filter(code__isnull=False)}
        self.by_slug = {i.slug: i for i in Indicator.objects.all()}
        self.touched: set[int] = set()
        self.aliases: set[tuple[int, str]] = set()

    def coded(self, code: str, *, title: str, where: str, alias: str | None = None) -> Indicator:
        if not is_normalised(code):
            raise FixtureError(f"{where}: code {code!r} is not normalised (expected e.g. NI 16, BV 34a, LBC 1)")
        entry = self.catalogue.get(code, {})
        values = {
            "title": title,
            "indicator_set": _indicator_set(code),
            "unit": entry.get("unit", ""),
            "unit_label": entry.get("unit_label", ""),
            "polarity": entry.get("polarity", "neither"),
            "frequency": entry.get("frequency", "not_set"),
            "statutory": bool(entry.get("statutory", False)),
            "definition": text(entry.get("definition")),
        }
        indicator = self.by_code.get(code)
        if indicator is None:
            indicator = Indicator(code=code, slug=code_slug(code), **values)
            save_checked(indicator, where)
            self.by_code[code] = self.by_slug[indicator.slug] = indicator
        elif indicator.pk not in self.touched and any(
            getattr(indicator, name) != value for name, value in values.items()
        ):
            # The first mention in this load sets the catalogue fields; later mentions only link.
            for name, value in values.items():
                setattr(indicator, name, value)
            save_checked(indicator, where)
        self.touched.add(indicator.pk)
        if alias:
            self.aliases.add((indicator.pk, alias))
        return indicator

    def uncoded(self, title: str, *, plan: Plan, where: str) -> Indicator:
        digest = hashlib.sha1(f"{plan.slug}|{title}".encode(), usedforsecurity=False).hexdigest()[:6]
        slug = f"{slugify(title)[:60].strip('-')}-{digest}"
        indicator = self.by_slug.get(slug)
        if indicator is None:
            indicator = Indicator(slug=slug, code=None, title=title, indicator_set=IndicatorSet.LOCAL)
            save_checked(indicator, where)
            self.by_slug[slug] = indicator
        elif indicator.title != title:
            indicator.title = title
            save_checked(indicator, where)
        self.touched.add(indicator.pk)
        return indicator

    def resolve(self, ref: dict, *, plan: Plan, where: str) -> Indicator:
        if not isinstance(ref, dict) or not ref.get("printed"):
            raise FixtureError(f"{where}: an indicator reference needs 'printed' (and 'code' or 'title')")
        printed = text(ref["printed"])
        title = text(ref.get("title")) or printed
        if ref.get("code"):
            match = _PRINTED_CODE.match(printed)
            alias = None
            if match:
                try:
                    if normalise_code(match.group(0)) == ref["code"]:
                        alias = " ".join(match.group(0).split())
                except InvalidCode:
                    alias = None
            return self.coded(ref["code"], title=title, where=where, alias=alias)
        return self.uncoded(title, plan=plan, where=where)

    def finish(self) -> None:
        """Record printed aliases; remove indicators no fixture names any more, unless they hold values."""
        aliases = Syncer(IndicatorAlias.objects.all(), ("indicator_id", "alias"), where="aliases")
        for indicator_id, alias in sorted(self.aliases):
            aliases.sync({"indicator_id": indicator_id, "alias": alias})
        aliases.finish()
        orphans = Indicator.objects.exclude(pk__in=self.touched).filter(
            Q(returns__isnull=True), Q(plan_links__isnull=True), Q(outcome_links__isnull=True)
        )
        for orphan in orphans.distinct():
            orphan.delete()


def load_catalogue(path: Path) -> dict[str, dict]:
    entries = read_yaml(path).get("indicators") or []
    catalogue: dict[str, dict] = {}
    for index, entry in enumerate(entries):
        code = entry.get("code")
        if not code or not is_normalised(code):
            raise FixtureError(f"{path.name}: indicators[{index}]: code {code!r} is not normalised")
        if code in catalogue:
            raise FixtureError(f"{path.name}: indicators[{index}]: {code} is listed twice")
        catalogue[code] = entry
    return catalogue


# ---- Indicator links found in plan documents ---------------------------------------------------


def link_plan_indicators(plan: Plan, requests: list[IndicatorRequest], registry: IndicatorRegistry) -> None:
    plan_links = Syncer(PlanIndicator.objects.filter(plan=plan), ("order",), where=plan.slug)
    outcome_links = Syncer(
        OutcomeIndicator.objects.filter(outcome__priority__plan=plan),
        ("outcome_id", "order"),
        where=plan.slug,
    )
    outcome_positions: dict[int, int] = {}
    plan_position = 0
    for request in requests:
        indicator = registry.resolve(request.ref, plan=plan, where=request.where)
        printed = text(request.ref["printed"])
        title = text(request.ref.get("title")) or printed
        if request.outcome is not None:
            position = outcome_positions.get(request.outcome.pk, 0)
            outcome_positions[request.outcome.pk] = position + 1
            outcome_links.sync(
                {"outcome_id": request.outcome.pk, "order": position},
                where=request.where,
                indicator_id=indicator.pk,
                printed=printed,
                title=title,
            )
            continue
        plan_links.sync(
            {"order": plan_position},
            where=request.where,
            plan_id=plan.pk,
            indicator_id=indicator.pk,
            inclusion=request.inclusion,
            priority_id=request.priority.pk if request.priority else None,
            org_unit_id=request.org_unit.pk if request.org_unit else None,
            action_id=request.action.pk if request.action else None,
            printed=printed,
            title=title,
            scorecard_domain=request.scorecard_domain,
            notes="",
        )
        plan_position += 1
    outcome_links.finish()
    plan_links.finish()


# ---- The Local Area Agreement's indicator table --------------------------------------------------


def load_agreement_indicators(
    plan: Plan, document: dict, path: Path, registry: IndicatorRegistry, periods: PeriodLookup
) -> list[tuple[PlanIndicator, dict]]:
    """Every row of an agreement's indicator tables: the link, baseline, breakdowns and targets.

    Returns each PlanIndicator with its fixture row so that the partners app can record sign-ups.
    """
    name = path.name
    themes = {p.number: p for p in Priority.objects.filter(plan=plan)}
    breakdown_specs = document.get("breakdowns") or {}
    plan_links = Syncer(PlanIndicator.objects.filter(plan=plan), ("order",), where=name)
    baselines = Syncer(Baseline.objects.filter(plan=plan), ("indicator_id", "breakdown_id"), where=name)
    targets = Syncer(Target.objects.filter(plan=plan), ("indicator_id", "period_id", "breakdown_id"), where=name)
    rows: list[tuple[PlanIndicator, dict]] = []
    fy_or_academic = (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR, PeriodKind.CALENDAR_YEAR)
    for index, row in enumerate(document.get("indicators") or []):
        where = f"{name}: indicators[{index}]"
        for key in ("code", "printed_code", "title", "inclusion", "theme"):
            if not row.get(key):
                raise FixtureError(f"{where}: '{key}' is required")
        where = f"{name}: indicators[{index}] ({row['code']})"
        try:
            if normalise_code(row["printed_code"]) != row["code"]:
                raise FixtureError(f"{where}: printed code {row['printed_code']!r} does not normalise to {row['code']}")
        except InvalidCode as error:
            raise FixtureError(f"{where}: {error}") from error
        title = text(row["title"])
        indicator = registry.coded(row["code"], title=title, where=where, alias=row["printed_code"])
        theme = themes.get(row["theme"])
        if theme is None:
            raise FixtureError(f"{where}: theme {row['theme']!r} is not one of the agreement's themes")
        notes = "\n".join(text(note) for note in (row.get("notes"), row.get("footnote")) if note)
        link = plan_links.sync(
            {"order": index},
            where=where,
            plan_id=plan.pk,
            indicator_id=indicator.pk,
            inclusion=row["inclusion"],
            priority_id=theme.pk,
            org_unit_id=None,
            action_id=None,
            printed=f"{row['printed_code']} {title}",
            title=title,
            scorecard_domain="",
            notes=notes,
        )
        rows.append((link, row))
        parts = _sync_breakdowns(indicator, breakdown_specs.get(row["code"]) or [], where)
        _sync_baseline(baselines, plan, indicator, row, parts, periods, where)
        for t_index, target in enumerate(row.get("targets") or []):
            t_where = f"{where}.targets[{t_index}]"
            breakdown = _part(parts, target.get("breakdown"), t_where)
            period = periods.get(_need(target, "period", t_where), t_where, kinds=fy_or_academic)
            if row["inclusion"] == "statutory" and period.kind != PeriodKind.ACADEMIC_YEAR:
                raise FixtureError(f"{t_where}: statutory targets are set for academic years such as 2009")
            targets.sync(
                {
                    "indicator_id": indicator.pk,
                    "period_id": period.pk,
                    "breakdown_id": breakdown.pk if breakdown else None,
                },
                where=t_where,
                plan_id=plan.pk,
                value=_decimal(target.get("value"), f"{t_where}.value"),
                text=text(_need(target, "text", t_where)),
                designated=bool(target.get("designated", False)),
            )
    targets.finish()
    baselines.finish()
    plan_links.finish()
    return rows


def _need(mapping: dict, key: str, where: str) -> Any:
    if mapping.get(key) in (None, ""):
        raise FixtureError(f"{where}: '{key}' is required")
    return mapping[key]


def _sync_breakdowns(indicator: Indicator, specs: list[dict], where: str) -> dict[str, Breakdown]:
    breakdowns = Syncer(Breakdown.objects.filter(indicator=indicator), ("slug",), where=where)
    parts = {}
    for order, spec in enumerate(specs):
        parts[spec["name"]] = breakdowns.sync(
            {"slug": slugify(spec["name"])},
            where=f"{where}.breakdowns[{order}]",
            indicator_id=indicator.pk,
            dimension=spec["dimension"],
            name=spec["name"],
            label=spec.get("label", ""),
            polarity=spec.get("polarity", ""),
            order=order,
        )
    breakdowns.finish()
    return parts


def _part(parts: dict[str, Breakdown], name: str | None, where: str) -> Breakdown | None:
    if not name:
        return None
    try:
        return parts[name]
    except KeyError:
        raise FixtureError(f"{where}: breakdown {name!r} is not declared for this indicator") from None


def _sync_baseline(
    baselines: Syncer,
    plan: Plan,
    indicator: Indicator,
    row: dict,
    parts: dict[str, Breakdown],
    periods: PeriodLookup,
    where: str,
) -> None:
    spec = row.get("baseline")
    if not spec:
        return
    b_where = f"{where}.baseline"
    kinds = (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR, PeriodKind.CALENDAR_YEAR)
    if row["inclusion"] == "statutory":
        kinds = (PeriodKind.ACADEMIC_YEAR,)
    elif str(spec.get("period", "")).isdigit():
        kinds = (PeriodKind.CALENDAR_YEAR, PeriodKind.ACADEMIC_YEAR)
    period = periods.get(spec["period"], b_where, kinds=kinds) if spec.get("period") else None
    baselines.sync(
        {"indicator_id": indicator.pk, "breakdown_id": None},
        where=b_where,
        plan_id=plan.pk,
        period_id=period.pk if period else None,
        value=_decimal(spec.get("value"), f"{b_where}.value"),
        text=text(_need(spec, "text", b_where)),
    )
    for index, part in enumerate(spec.get("breakdowns") or []):
        p_where = f"{b_where}.breakdowns[{index}]"
        breakdown = _part(parts, part.get("breakdown"), p_where)
        baselines.sync(
            {"indicator_id": indicator.pk, "breakdown_id": breakdown.pk},
            where=p_where,
            plan_id=plan.pk,
            period_id=period.pk if period else None,
            value=_decimal(part.get("value"), f"{p_where}.value"),
            text=text(_need(part, "text", p_where)),
        )
