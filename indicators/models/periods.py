import datetime as dt

from django.db import models


class PeriodKind(models.TextChoices):
    FINANCIAL_YEAR = "financial_year", "Financial year"
    QUARTER = "quarter", "Quarter"
    ACADEMIC_YEAR = "academic_year", "Academic year"
    CALENDAR_YEAR = "calendar_year", "Calendar year"


def financial_year_of(day: dt.date) -> int:
    """The start year of the financial year (April to March) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


class ReportingPeriodQuerySet(models.QuerySet):
    def collected_in(self, quarter: "ReportingPeriod") -> "ReportingPeriodQuerySet":
        """The periods whose returns a quarter's round collects: the quarter; in a fourth quarter also
        its financial year and the academic years reported in that year."""
        collected = models.Q(pk=quarter.pk)
        if quarter.quarter == 4:
            year = quarter.reporting_year
            collected |= models.Q(kind=PeriodKind.FINANCIAL_YEAR, start__year=year)
            collected |= models.Q(kind=PeriodKind.ACADEMIC_YEAR, end__year=year)
        return self.filter(collected)

    def academic_by_reporting_year(self) -> "dict[int, ReportingPeriod]":
        """Academic years by the financial year they are reported in (one query)."""
        return {period.reporting_year: period for period in self.filter(kind=PeriodKind.ACADEMIC_YEAR)}


class ReportingPeriod(models.Model):
    """A span that targets and values are reported for: a year or a quarter is a row, never code.

    Financial years run April to March and are labelled "2009/10"; their quarters "2009/10 Q1".
    Statutory education targets are set for academic years, labelled by the calendar year in
    which the year's results are published ("2009" = September 2008 to August 2009).
    """

    kind = models.CharField(max_length=16, choices=PeriodKind.choices)
    label = models.CharField(max_length=16)
    start = models.DateField()
    end = models.DateField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="quarters")
    quarter = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-4 for a quarter of its year.")

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "label"], name="period_label_unique_per_kind"),
            models.UniqueConstraint(fields=["kind", "start"], name="period_start_unique_per_kind"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def reporting_year(self) -> int | None:
        """The start year of the financial year this period is reported in, the one home of that rule:
        a quarter's or a financial year's own; an academic year's is the financial year its results
        fall in ("2009", September 2008 to August 2009, is reported in 2009/10). Calendar years belong
        to no financial year."""
        if self.kind in (PeriodKind.FINANCIAL_YEAR, PeriodKind.QUARTER):
            return financial_year_of(self.start)
        if self.kind == PeriodKind.ACADEMIC_YEAR:
            return self.end.year
        return None

    @property
    def target_year_id(self) -> int:
        """The period whose targets a figure for this period is judged against: a quarter's financial
        year, or the period itself."""
        return self.parent_id if self.kind == PeriodKind.QUARTER else self.pk

    def belongs_to(self, quarter: "ReportingPeriod") -> bool:
        """Whether a figure for this period is the one to show at `quarter`: the quarter itself, or a
        year (financial or academic) reported in the quarter's financial year."""
        if self.pk == quarter.pk:
            return True
        if quarter.kind != PeriodKind.QUARTER or self.kind == PeriodKind.QUARTER:
            return False
        return self.reporting_year is not None and self.reporting_year == quarter.reporting_year

    @property
    def slug(self) -> str:
        """The label in a URL: "2009/10 Q1" -> "2009-10-q1"."""
        return self.label.lower().replace("/", "-").replace(" ", "-")

    @staticmethod
    def financial_year_label(start_year: int) -> str:
        return f"{start_year}/{(start_year + 1) % 100:02d}"

    @classmethod
    def financial_year_bounds(cls, start_year: int) -> tuple[dt.date, dt.date]:
        return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)

    @classmethod
    def quarter_bounds(cls, start_year: int, quarter: int) -> tuple[dt.date, dt.date]:
        """Q1 is April-June; Q4 is January-March of the following calendar year."""
        first_month = 4 + 3 * (quarter - 1)
        year = start_year + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        start = dt.date(year, month, 1)
        end_month = month + 2
        next_start = dt.date(year + (end_month // 12), end_month % 12 + 1, 1)
        return start, next_start - dt.timedelta(days=1)
