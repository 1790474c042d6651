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
    Unit,
)
from indicators.models.periods import PeriodKind, ReportingPeriod
from indicators.models.targets import Baseline, Target
from indicators.models.values import Confidence, Value, ValueStatus

__all__ = [
    "Baseline",
    "Breakdown",
    "BreakdownDimension",
    "Confidence",
    "Frequency",
    "Inclusion",
    "Indicator",
    "IndicatorAlias",
    "IndicatorSet",
    "OutcomeIndicator",
    "PeriodKind",
    "PlanIndicator",
    "Polarity",
    "ReportingPeriod",
    "Target",
    "Unit",
    "Value",
    "ValueStatus",
]
