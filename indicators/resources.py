"""Spreadsheet formats for indicators, targets and values (CSV and XLSX, admin and command line)."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from core.importing import Lookups, LookupWidget, RowProblem, SafeResource
from core.numbers import parse_number, plain
from indicators.codes import InvalidCode, code_slug, is_normalised, normalise_code
from indicators.models import Breakdown, Indicator, PeriodKind, ReportingPeriod, Target, Value
from indicators.units import check_value
from plans.models import Plan


class IndicatorWidget(widgets.ForeignKeyWidget):
    """An indicator written as its code ("NI 16", or as printed: "NI 016") or, without a code, its slug."""

    def __init__(self) -> None:
        super().__init__(Indicator, field="slug")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        value = str(value).strip()
        lookups = Lookups.current()
        memo = ("indicator", value)  # a row's indicator is asked for by its key, its breakdown and its field
        if memo not in lookups.resolved:
            lookups.resolved[memo] = self._find(lookups, value)
        return lookups.resolved[memo]

    @staticmethod
    def _find(lookups: Lookups, value: str) -> Indicator:
        try:
            code = normalise_code(value)
        except InvalidCode:
            code = None
        if code:
            coded = lookups.index(Indicator, ("code",), Indicator.objects.exclude(code=None))
            indicator = coded.get((code.casefold(),))
        else:
            indicator = lookups.index(Indicator, ("slug",)).get((value.casefold(),))
        if indicator is None:
            raise ValueError(f"no indicator {value!r} (write its code, e.g. NI 16, or its slug)")
        return indicator

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code or value.slug


class PeriodWidget(widgets.ForeignKeyWidget):
    """A period as printed: "2009/10" (financial year), "2009/10 Q1" (quarter), "2009" (academic year)."""

    def __init__(self) -> None:
        super().__init__(ReportingPeriod, field="label")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        label = str(value).strip()
        kinds = (
            [PeriodKind.ACADEMIC_YEAR, PeriodKind.CALENDAR_YEAR]
            if label.isdigit()
            else [PeriodKind.FINANCIAL_YEAR, PeriodKind.QUARTER]
        )
        periods = Lookups.current().index(ReportingPeriod, ("kind", "label"))
        for kind in kinds:
            period = periods.get((kind, label.casefold()))
            if period is not None:
                return period
        raise ValueError(f"unknown period {label!r} (expected e.g. 2009/10, 2009/10 Q1, or 2009 for academic years)")


class BreakdownWidget(widgets.ForeignKeyWidget):
    """A breakdown by its name within the row's indicator ("male", "Biscot", "SAP below 35")."""

    also_reads = ("indicator",)  # the row's cells its answer depends on, besides its own (SafeResource.clean_cell)

    def __init__(self) -> None:
        super().__init__(Breakdown, field="name")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        indicator = IndicatorWidget().clean((row or {}).get("indicator"))
        if indicator is None:
            raise ValueError("a breakdown needs the row's indicator")
        breakdowns = Lookups.current().index(Breakdown, ("indicator_id", "name"))
        breakdown = breakdowns.get((indicator.pk, str(value).strip().casefold()))
        if breakdown is None:
            names = ", ".join(b.name for (owner, _), b in breakdowns.items() if owner == indicator.pk) or "none"
            raise ValueError(f"{indicator} has no breakdown {value!r} (it has: {names})")
        return breakdown


class BlankIsNullWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return None if value in (None, "") else str(value)


class StrictDecimalWidget(widgets.DecimalWidget):
    """A number as written, never a float: "31.10" stays 31.10. Thousands separators are refused
    because a comma is ambiguous in a spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return parse_number(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number (write digits, e.g. 35.65 or -3.5)") from None

    def render(self, value, obj=None, **kwargs):
        return plain(value)


class BooleanWordsWidget(widgets.BooleanWidget):
    TRUE_VALUES = ["1", 1, True, "true", "TRUE", "True", "yes", "Yes", "YES", "y", "Y"]
    FALSE_VALUES = ["0", 0, False, "false", "FALSE", "False", "no", "No", "NO", "n", "N", ""]

    def clean(self, value, row=None, **kwargs):
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES or value is None:
            return False
        raise ValueError(f"{value!r} is not yes or no")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


def _natural_key_fields():
    return {
        "indicator": fields.Field(attribute="indicator", column_name="indicator", widget=IndicatorWidget()),
        "period": fields.Field(attribute="period", column_name="period", widget=PeriodWidget()),
        "breakdown": fields.Field(attribute="breakdown", column_name="breakdown", widget=BreakdownWidget()),
    }


class IndicatorResource(SafeResource):
    # A measure without a code has no code at all (NULL), not an empty one: codes are unique.
    code = fields.Field(attribute="code", column_name="code", widget=BlankIsNullWidget())
    statutory = fields.Field(attribute="statutory", column_name="statutory", widget=BooleanWordsWidget())

    class Meta(SafeResource.Meta):
        model = Indicator
        fields = (
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
        )
        import_id_fields = ("slug",)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        code = row.get("code") or ""
        if code and not is_normalised(code):
            try:
                row["code"] = normalise_code(code)
            except InvalidCode as error:
                raise ValidationError({"code": str(error)}) from None
        if not row.get("slug"):
            if not row.get("code"):
                raise ValidationError({"slug": "a measure without a code needs a slug"})
            row["slug"] = code_slug(row["code"])

    def check_instance(self, indicator: Indicator) -> None:
        """A code names one indicator: refuse a code that another indicator already has."""
        if indicator.code:
            holder = Lookups.current().index(Indicator, ("code",), Indicator.objects.exclude(code=None))
            other = holder.get((indicator.code.casefold(),))
            if other is not None and other.pk != indicator.pk:
                raise ValidationError({"code": f"{indicator.code} is already the code of {other.slug}"})

    def duplicate_key_problems(self, dataset) -> list[RowProblem]:
        problems = super().duplicate_key_problems(dataset)
        first_line: dict[str, int] = {}
        for number, row in enumerate(dataset.dict, 1):
            try:
                code = normalise_code(str(row.get("code") or "").strip()) if row.get("code") else ""
            except InvalidCode:
                continue  # reported against its column when the row is imported
            if code and code in first_line:
                problems.append(RowProblem(number + 1, "code", f"{code} is also the code on row {first_line[code]}"))
            elif code:
                first_line[code] = number + 1
        return problems


class TargetResource(SafeResource):
    plan = fields.Field(
        attribute="plan", column_name="plan", widget=LookupWidget(Plan, "slug", noun="plan with the slug")
    )
    indicator = _natural_key_fields()["indicator"]
    period = _natural_key_fields()["period"]
    breakdown = _natural_key_fields()["breakdown"]
    value = fields.Field(attribute="value", column_name="value", widget=StrictDecimalWidget())
    designated = fields.Field(attribute="designated", column_name="designated", widget=BooleanWordsWidget())

    class Meta(SafeResource.Meta):
        model = Target
        fields = ("plan", "indicator", "period", "breakdown", "text", "value", "designated")
        import_id_fields = ("plan", "indicator", "period", "breakdown")

    def get_queryset(self):
        return Target.objects.select_related("plan", "indicator", "period", "breakdown").order_by(
            "plan__start", "indicator__slug", "period__start", "breakdown__order"
        )

    def check_instance(self, target: Target) -> None:
        """A target's number is in its indicator's unit, like a returned figure (indicators/units.py)."""
        if target.value is None or not target.indicator_id:
            return
        indicator = target.indicator
        if problem := check_value(target.value, unit=indicator.unit, label="the target"):
            unit = indicator.get_unit_display().lower()
            raise ValidationError({"value": f"{problem} ({indicator.code or indicator.slug} is measured as {unit})"})


class ValueResource(SafeResource):
    """Published and working figures, for export. Figures are imported through the returns upload,
    which applies the entry form's rules; this format is the same as that upload's."""

    indicator = fields.Field(attribute="submission__indicator", column_name="indicator", widget=IndicatorWidget())
    period = fields.Field(attribute="submission__period", column_name="period", widget=PeriodWidget())
    breakdown = fields.Field(attribute="breakdown", column_name="breakdown", widget=BreakdownWidget())
    value = fields.Field(attribute="value", column_name="value", widget=StrictDecimalWidget())
    numerator = fields.Field(attribute="numerator", column_name="numerator", widget=StrictDecimalWidget())
    denominator = fields.Field(attribute="denominator", column_name="denominator", widget=StrictDecimalWidget())
    commentary = fields.Field(attribute="submission__commentary", column_name="commentary")
    status = fields.Field(attribute="submission__status", column_name="status")
    demonstration = fields.Field(
        attribute="submission__is_demonstration", column_name="demonstration", widget=BooleanWordsWidget()
    )

    class Meta(SafeResource.Meta):
        model = Value
        fields = (
            "indicator",
            "period",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "commentary",
            "status",
            "demonstration",
        )
        import_id_fields = ("indicator", "period", "breakdown")

    def get_queryset(self):
        return Value.objects.select_related("submission__indicator", "submission__period", "breakdown").order_by(
            "submission__indicator__slug", "submission__period__start", "breakdown__order"
        )
