"""The bulk downloads at /data/: a CSV per table and a ZIP of them all with a Frictionless Data
Package descriptor (datapackage.json), under the Open Government Licence v3.0.

Every table is read in one query (two for budgets), written as UTF-8 CSV with formula-like text
neutralised (`core.tables.escape_formula`: a spreadsheet opening the file evaluates nothing), and the
whole set is remembered under the data version (docs/decisions/0003): built at the first request after
a change, served from the cache until the next. The figures are `portal.figures.published_figures`,
the rows the API publishes, so the download and the API cannot disagree.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F

from core.numbers import plain
from core.release import code_release
from core.tables import escape_formula
from indicators.models import Indicator, Target
from indicators.performance import CACHE_SECONDS, data_version_and_changed_at
from partners.models import Partner, SignUp
from plans.models import BudgetLine, Outcome, Plan, Priority, Risk
from portal.figures import PUBLIC_FIELDS, published_figures

LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
PACKAGE_NAME = "luton-plan-open-data"
ZIP_NAME = f"{PACKAGE_NAME}.zip"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    required: bool = False

    def descriptor(self) -> dict:
        field = {"name": self.name, "type": self.type, "description": self.description}
        if self.required:
            field["constraints"] = {"required": True}
        return field


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (field, table, field there)
    rows: Callable[[str], Iterable[tuple]]  # given the data version

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def descriptor(self) -> dict:
        return {
            "name": self.name,
            "profile": "tabular-data-resource",
            "path": self.filename,
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "licenses": [LICENCE],
            "schema": {
                "fields": [field.descriptor() for field in self.fields],
                "primaryKey": list(self.primary_key),
                "foreignKeys": [
                    {"fields": field, "reference": {"resource": table, "fields": there}}
                    for field, table, there in self.foreign_keys
                ],
                "missingValues": [""],
            },
        }


def _s(name: str, description: str, **kw) -> Field:
    return Field(name, "string", description, **kw)


def _cell(value) -> str:
    """One CSV cell: numbers as plain digits, booleans as true/false, dates in ISO 8601, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return plain(value)
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_formula(str(value))


# ---- The tables ---------------------------------------------------------------------------------


def _plans(version: str):
    return Plan.objects.order_by("order", "start", "slug").values_list(
        "slug", "title", "kind", "status", "start", "end", "serves__slug", "source", "summary"
    )


def _priorities(version: str):
    return Priority.objects.order_by("plan__order", "plan__slug", "order", "number").values_list(
        "pk", "plan__slug", "number", "slug", "title", "description", "org_unit__name"
    )


def _outcomes(version: str):
    return Outcome.objects.order_by("priority__plan__order", "priority__order", "order", "number").values_list(
        "pk", "priority_id", "priority__plan__slug", "number", "label", "slug", "title", "narrative"
    )


def _indicators(version: str):
    return Indicator.objects.order_by("slug").values_list(
        "slug",
        "code",
        "title",
        "definition",
        "indicator_set",
        "unit",
        "unit_label",
        "polarity",
        "frequency",
        "statutory",
        "quarter_aggregation",
        "tolerance_percent",
        "department__name",
    )


def _targets(version: str):
    return Target.objects.order_by(
        "plan__order", "indicator__slug", "period__start", "breakdown__order", "pk"
    ).values_list(
        "pk",
        "plan__slug",
        "indicator__slug",
        "period__label",
        "period__kind",
        "breakdown__name",
        "value",
        "text",
        "designated",
    )


def _figures(version: str):
    for figure in published_figures(version=version):
        yield tuple(getattr(figure, name) for name in PUBLIC_FIELDS)


def _partners(version: str):
    return Partner.objects.order_by("name", "slug").values_list(
        "slug", "name", "abbreviation", "expansion", "kind", "description"
    )


def _sign_ups(version: str):
    return SignUp.objects.order_by("plan_indicator__plan__order", "plan_indicator__order", "order").values_list(
        "pk",
        "plan_indicator__plan__slug",
        "plan_indicator__indicator__slug",
        "partner__slug",
        "printed_name",
        "lead",
    )


def _risks(version: str):
    return Risk.objects.order_by("plan__order", "order").values_list(
        "pk",
        "plan__slug",
        "outcome_id",
        "reference",
        "title",
        "description",
        "owner",
        "initial_likelihood",
        "initial_impact",
        "initial_score",
        "residual_likelihood",
        "residual_impact",
        "residual_score",
        "controls",
        "review_date",
    )


def _budgets(version: str):
    """One row per printed cell: the tables' columns differ, so the cells are listed, not spread."""
    lines = BudgetLine.objects.select_related("table__plan").order_by(
        F("table__plan__order"), "table__plan__slug", "table__order", "order"
    )
    for line in lines:
        table = line.table
        for number, cell in enumerate(line.cells, start=1):
            heading = table.columns[number - 1] if number <= len(table.columns) else ""
            yield (
                line.pk,
                number,
                table.plan.slug,
                table.title,
                table.unit,
                line.order,
                line.label,
                line.note,
                heading,
                cell,
            )


PLAN_FK = ("plan", "plans", "slug")
INDICATOR_FK = ("indicator", "indicators", "slug")

TABLES = (
    Table(
        "plans",
        "Plans",
        "Each plan: the community strategy, the corporate plans, the Local Area Agreement, the service plans.",
        (
            _s("slug", "The plan's identifier.", required=True),
            _s("title", "As printed on the document."),
            _s("kind", "community_strategy, corporate_plan, local_area_agreement or service_plans."),
            _s("status", "draft, adopted or superseded."),
            Field("start", "date", "The first day the plan covers."),
            Field("end", "date", "The last day the plan covers."),
            _s("serves", "The slug of the plan this one serves, if any."),
            _s("source", "The document the plan was transcribed from."),
            _s("summary", "The plan's summary."),
        ),
        ("slug",),
        (("serves", "", "slug"),),  # "" is this table, in Table Schema
        _plans,
    ),
    Table(
        "priorities",
        "Priorities and themes",
        "A plan's priorities (a corporate plan) or themes (the Local Area Agreement), in document order.",
        (
            Field("id", "integer", "The priority's identifier.", required=True),
            _s("plan", "The plan's slug."),
            Field("number", "integer", "Its number in the plan."),
            _s("slug", "Its identifier within the plan."),
            _s("title", "As printed."),
            _s("description", "As printed."),
            _s("org_unit", "The directorate or department it belongs to, where the plan says."),
        ),
        ("id",),
        (PLAN_FK,),
        _priorities,
    ),
    Table(
        "outcomes",
        "Outcomes",
        "The outcomes under each priority, with their narrative.",
        (
            Field("id", "integer", "The outcome's identifier.", required=True),
            Field("priority", "integer", "The id of its priority (priorities.csv)."),
            _s("plan", "The plan's slug."),
            Field("number", "integer", "Its number under the priority."),
            _s("label", 'The heading label as printed, e.g. "SSC: High Level Outcome 1".'),
            _s("slug", "Its identifier under the priority."),
            _s("title", "As printed."),
            _s("narrative", "As printed."),
        ),
        ("id",),
        (("priority", "priorities", "id"), PLAN_FK),
        _outcomes,
    ),
    Table(
        "indicators",
        "Indicators",
        "Every indicator and measure the plans name, coded (NI 16) or not.",
        (
            _s("slug", "The indicator's identifier (its page is /indicators/<slug>/).", required=True),
            _s("code", 'The normalised code, e.g. "NI 16"; empty for uncoded measures.'),
            _s("title", "The catalogue title; each plan may word it differently."),
            _s("definition", "How it is measured, where stated."),
            _s("indicator_set", "national, best_value or local."),
            _s("unit", "percentage, count, rate, ...; empty when not recorded."),
            _s("unit_label", 'E.g. "rate per 1,000 population".'),
            _s("polarity", "higher, lower, closer or neither: which way is better."),
            _s("frequency", "monthly, quarterly, annual, biennial or not_set."),
            Field("statutory", "boolean", "A target the council must set by law."),
            _s("quarter_aggregation", "How quarterly figures relate to the annual target."),
            Field("tolerance_percent", "number", "How far short of target (in % of it) is amber, not red."),
            _s("department", "The department that owns its returns."),
        ),
        ("slug",),
        (),
        _indicators,
    ),
    Table(
        "targets",
        "Targets",
        "Each plan's targets, by period and breakdown: the cell as printed, and its number where it states one.",
        (
            Field("id", "integer", "The target's identifier.", required=True),
            _s("plan", "The plan's slug."),
            _s("indicator", "The indicator's slug."),
            _s("period", 'The period as labelled, e.g. "2010/11".'),
            _s("period_kind", "financial_year, quarter, academic_year or calendar_year."),
            _s("breakdown", "The part of a split indicator; empty for the whole."),
            Field("value", "number", "The target as a number, where the cell states one in the indicator's unit."),
            _s("text", "The target as printed."),
            Field("designated", "boolean", "A designated (reward) target, marked * in the LAA."),
        ),
        ("id",),
        (PLAN_FK, INDICATOR_FK),
        _targets,
    ),
    Table(
        "figures",
        "Published figures",
        "Every approved figure, with its target, status and direction: the same rows as /api/v1/figures/.",
        (
            Field("id", "integer", "The figure's identifier.", required=True),
            _s("indicator", "The indicator's slug."),
            _s("indicator_code", 'E.g. "NI 16"; empty for uncoded measures.'),
            _s("indicator_title", "The catalogue title."),
            _s("period", 'The period as labelled, e.g. "2009/10 Q3".'),
            _s("period_kind", "quarter, financial_year, academic_year or calendar_year."),
            Field("period_start", "date", "The period's first day."),
            Field("period_end", "date", "The period's last day."),
            _s("breakdown", "The part of a split indicator; empty for the whole."),
            Field("value", "number", "The approved figure, in the indicator's unit."),
            _s("unit", "The indicator's unit."),
            Field("target", "number", "The target for the figure's year, where it states a number."),
            _s("target_text", "The target as printed."),
            Field("target_compared", "number", "The target the figure is judged against."),
            _s("status", "green, amber, red, no_target, no_data or not_judged."),
            _s("status_label", 'The status in words, e.g. "On track".'),
            _s("direction", "improving, worsening, no_change or not_comparable, against the previous period."),
            _s("direction_since_last_year", "The same, against the same period a year before."),
            _s("commentary", "The council's approved commentary."),
            _s("remedial_action", "What is being done about an off-target figure."),
            Field("is_demonstration", "boolean", "True for invented demonstration figures, never for real ones."),
            Field("updated_at", "datetime", "When the figure's return was last approved or changed (UTC)."),
        ),
        ("id",),
        (INDICATOR_FK,),
        _figures,
    ),
    Table(
        "partners",
        "Partners",
        "The organisations, partnerships and sectors that sign up to targets.",
        (
            _s("slug", "The partner's identifier.", required=True),
            _s("name", "The name as the documents print it at its fullest."),
            _s("abbreviation", "E.g. LBC."),
            _s("expansion", "The LAA glossary's expansion, as printed."),
            _s("kind", "organisation, partnership or sector."),
            _s("description", "About the partner."),
        ),
        ("slug",),
        (),
        _partners,
    ),
    Table(
        "sign-ups",
        "Sign-ups",
        "Each partner signed up to a Local Area Agreement target, and whether it leads it.",
        (
            Field("id", "integer", "The sign-up's identifier.", required=True),
            _s("plan", "The plan's slug."),
            _s("indicator", "The indicator's slug."),
            _s("partner", "The partner's slug."),
            _s("printed_name", "The partner as the row prints it."),
            Field("lead", "boolean", "The lead partner for the target."),
        ),
        ("id",),
        (PLAN_FK, INDICATOR_FK, ("partner", "partners", "slug")),
        _sign_ups,
    ),
    Table(
        "risks",
        "Risks",
        "The plans' risk registers: each risk scored before (initial) and after (residual) its controls.",
        (
            Field("id", "integer", "The risk's identifier.", required=True),
            _s("plan", "The plan's slug."),
            Field("outcome", "integer", "The id of the outcome it threatens (outcomes.csv), if any."),
            _s("reference", 'Its reference in the register, e.g. "3" or "2.4.1".'),
            _s("title", "As printed."),
            _s("description", "As printed."),
            _s("owner", "As printed."),
            Field("initial_likelihood", "integer", "1-5, before controls."),
            Field("initial_impact", "integer", "1-5, before controls."),
            Field("initial_score", "integer", "Before controls, as printed."),
            Field("residual_likelihood", "integer", "1-5, after controls."),
            Field("residual_impact", "integer", "1-5, after controls."),
            Field("residual_score", "integer", "After controls, as printed."),
            _s("controls", "Existing controls, as printed."),
            Field("review_date", "date", "When the risk is next reviewed."),
        ),
        ("id",),
        (PLAN_FK, ("outcome", "outcomes", "id")),
        _risks,
    ),
    Table(
        "budgets",
        "Budgets",
        "The plans' revenue and capital tables, one row per printed cell, kept as printed (totals are not recomputed).",
        (
            Field("line", "integer", "The table row's identifier.", required=True),
            Field("column", "integer", "The cell's column, counting from 1.", required=True),
            _s("plan", "The plan's slug."),
            _s("table", "The table's title as printed."),
            _s("unit", 'The table\'s unit, e.g. "£m".'),
            Field("row", "integer", "The row's place in its table."),
            _s("label", "The row's label as printed."),
            _s("note", "The row's footnote mark, if any."),
            _s("heading", "The column's heading as printed."),
            _s("cell", 'The cell as printed, e.g. "256.62" or "50%".'),
        ),
        ("line", "column"),
        (PLAN_FK,),
        _budgets,
    ),
)
TABLES_BY_FILE = {table.filename: table for table in TABLES}


def descriptor() -> dict:
    """The Frictionless Data Package descriptor of every table."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Luton Plan open data",
        "description": "The plans, targets, published performance figures, partners and risks of Luton Borough "
        "Council and its partners. Published figures are approved figures only.",
        "licenses": [LICENCE],
        "resources": [table.descriptor() for table in TABLES],
    }


def _csv(table: Table, version: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field.name for field in table.fields])
    for row in table.rows(version):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def build(version: str) -> dict[str, bytes]:
    """Every file of the download: each table's CSV, datapackage.json and the ZIP of them all."""
    files = {table.filename: _csv(table, version) for table in TABLES}
    files["datapackage.json"] = json.dumps(descriptor(), indent=2, ensure_ascii=False).encode("utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    files[ZIP_NAME] = archive.getvalue()
    return files


def open_data_files(*, version: str | None = None) -> dict[str, bytes]:
    """build(), remembered under the data version's token: one query when remembered (none when given)."""
    version = version or data_version_and_changed_at()[0]
    key = f"open-data-files:{code_release()[0]}:{version}"  # a deployment may change the files' shape
    files = cache.get(key)
    if files is None:
        files = build(version)
        cache.set(key, files, timeout=CACHE_SECONDS)
    return files
