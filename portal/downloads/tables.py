"""The tables of the bulk download, each column in one place: its name in the CSV, its Table Schema type,
its description in datapackage.json, and where it is read from (a field path of the table's query).

Every table is read in one query (budgets: one row per printed cell; figures: the API's rows,
`portal.figures.published_figures`, so that the download and the API cannot disagree).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from indicators.models import Indicator, Target
from partners.models import Partner, SignUp
from plans.models import BudgetLine, Outcome, Plan, Priority, Risk
from portal.figures import PUBLIC_FIELDS, published_figures

LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    source: str = ""  # the field path it is read from in the table's query; default: its name
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
    foreign_keys: tuple[tuple[str, str, str], ...]  # (field, table, field there); table "" is this one
    query: Callable[[], QuerySet] | None = None  # its rows, ordered: read as each field's source
    read: Callable[[str], Iterable[tuple]] | None = None  # or rows made otherwise, given the data version

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def rows(self, version: str) -> Iterable[tuple]:
        if self.read is not None:
            return self.read(version)
        return self.query().values_list(*(field.source or field.name for field in self.fields))

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


def _id(noun: str) -> Field:
    return Field("id", "integer", f"The {noun}'s identifier.", source="pk", required=True)


def _plan(source: str = "plan__slug") -> Field:
    return _s("plan", "The plan's slug.", source=source)


def _figures(version: str):
    for figure in published_figures(version=version):
        yield tuple(getattr(figure, name) for name in PUBLIC_FIELDS)


def _budget_cells(version: str):
    """One row per printed cell: the tables' columns differ, so the cells are listed, not spread."""
    lines = BudgetLine.objects.select_related("table__plan").order_by(
        "table__plan__order", "table__plan__slug", "table__order", "order"
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
                line.kind,
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
            _s("serves", "The slug of the plan this one serves, if any.", source="serves__slug"),
            _s("source", "The document the plan was transcribed from."),
            _s("summary", "The plan's summary."),
        ),
        ("slug",),
        (("serves", "", "slug"),),
        query=lambda: Plan.objects.order_by("order", "start", "slug"),
    ),
    Table(
        "priorities",
        "Priorities and themes",
        "A plan's priorities (a corporate plan) or themes (the Local Area Agreement), in document order.",
        (
            _id("priority"),
            _plan(),
            Field("number", "integer", "Its number in the plan."),
            _s("slug", "Its identifier within the plan."),
            _s("title", "As printed."),
            _s("description", "As printed."),
            _s(
                "org_unit", "The directorate or department it belongs to, where the plan says.", source="org_unit__name"
            ),
        ),
        ("id",),
        (PLAN_FK,),
        query=lambda: Priority.objects.order_by("plan__order", "plan__slug", "order", "number"),
    ),
    Table(
        "outcomes",
        "Outcomes",
        "The outcomes under each priority, with their narrative.",
        (
            _id("outcome"),
            Field("priority", "integer", "The id of its priority (priorities.csv).", source="priority_id"),
            _plan("priority__plan__slug"),
            Field("number", "integer", "Its number under the priority."),
            _s("label", 'The heading label as printed, e.g. "SSC: High Level Outcome 1".'),
            _s("slug", "Its identifier under the priority."),
            _s("title", "As printed."),
            _s("narrative", "As printed."),
        ),
        ("id",),
        (("priority", "priorities", "id"), PLAN_FK),
        query=lambda: Outcome.objects.order_by("priority__plan__order", "priority__order", "order", "number"),
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
            _s("department", "The department that owns its returns.", source="department__name"),
        ),
        ("slug",),
        (),
        query=lambda: Indicator.objects.order_by("slug"),
    ),
    Table(
        "targets",
        "Targets",
        "Each plan's targets, by period and breakdown: the cell as printed, and its number where it states one.",
        (
            _id("target"),
            _plan(),
            _s("indicator", "The indicator's slug.", source="indicator__slug"),
            _s("period", 'The period as labelled, e.g. "2010/11".', source="period__label"),
            _s("period_kind", "financial_year, quarter, academic_year or calendar_year.", source="period__kind"),
            _s("breakdown", "The part of a split indicator; empty for the whole.", source="breakdown__name"),
            Field("value", "number", "The target as a number, where the cell states one in the indicator's unit."),
            _s("text", "The target as printed."),
            Field("designated", "boolean", "A designated (reward) target, marked * in the LAA."),
        ),
        ("id",),
        (PLAN_FK, INDICATOR_FK),
        query=lambda: Target.objects.order_by(
            "plan__order", "indicator__slug", "period__start", "breakdown__order", "pk"
        ),
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
        read=_figures,
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
        query=lambda: Partner.objects.order_by("name", "slug"),
    ),
    Table(
        "sign-ups",
        "Sign-ups",
        "Each partner signed up to a Local Area Agreement target, and whether it leads it.",
        (
            _id("sign-up"),
            _plan("plan_indicator__plan__slug"),
            _s("indicator", "The indicator's slug.", source="plan_indicator__indicator__slug"),
            _s("partner", "The partner's slug.", source="partner__slug"),
            _s("printed_name", "The partner as the row prints it."),
            Field("lead", "boolean", "The lead partner for the target."),
        ),
        ("id",),
        (PLAN_FK, INDICATOR_FK, ("partner", "partners", "slug")),
        query=lambda: SignUp.objects.order_by("plan_indicator__plan__order", "plan_indicator__order", "order"),
    ),
    Table(
        "risks",
        "Risks",
        "The plans' risk registers: each risk scored before (initial) and after (residual) its controls.",
        (
            _id("risk"),
            _plan(),
            Field(
                "outcome", "integer", "The id of the outcome it threatens (outcomes.csv), if any.", source="outcome_id"
            ),
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
        query=lambda: Risk.objects.order_by("plan__order", "order"),
    ),
    Table(
        "budgets",
        "Budgets",
        "The plans' revenue and capital tables, one row per printed cell, kept as printed (totals are not recomputed).",
        (
            Field("line", "integer", "The table row's identifier.", required=True),
            Field("column", "integer", "The cell's column, counting from 1.", required=True),
            _plan(),
            _s("table", "The table's title as printed."),
            _s("unit", 'The table\'s unit, e.g. "£m".'),
            Field("row", "integer", "The row's place in its table."),
            _s("kind", "row; subtotal (of the rows since the last subtotal or total); total (rows and subtotals)."),
            _s("label", "The row's label as printed."),
            _s("note", "The row's footnote mark, if any."),
            _s("heading", "The column's heading as printed."),
            _s("cell", 'The cell as printed, e.g. "256.62" or "50%".'),
        ),
        ("line", "column"),
        (PLAN_FK,),
        read=_budget_cells,
    ),
)
TABLES_BY_FILE = {table.filename: table for table in TABLES}
