from indicators.models.indicators import (
    Breakdown,
    BreakdownDimension,
    Frequency,
    Inclusion,
    Indicator,
    IndicatorAlias,
    IndicatorSet,
    OutcomeIndicator,
    PlanIndicator,
    Polarity,
    QuarterAggregation,
    Unit,
)
from indicators.models.periods import PeriodKind, ReportingPeriod
from indicators.models.returns import PUBLISHED, Confidence, PublishedOnceApproved, Return, ReturnStatus, Value
from indicators.models.targets import Baseline, Target
from indicators.models.versions import DataVersion

__all__ = [
    "PUBLISHED",
    "Baseline",
    "Breakdown",
    "BreakdownDimension",
    "Confidence",
    "DataVersion",
    "Frequency",
    "Inclusion",
    "Indicator",
    "IndicatorAlias",
    "IndicatorSet",
    "OutcomeIndicator",
    "PeriodKind",
    "PlanIndicator",
    "Polarity",
    "PublishedOnceApproved",
    "QuarterAggregation",
    "ReportingPeriod",
    "Return",
    "ReturnStatus",
    "Target",
    "Unit",
    "Value",
]
