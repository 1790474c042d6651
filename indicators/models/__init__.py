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
from indicators.models.returns import Confidence, Return, ReturnStatus, Value
from indicators.models.rounds import ReportingRound, RoundState
from indicators.models.targets import Baseline, Target
from indicators.models.versions import DataVersion

__all__ = [
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
    "QuarterAggregation",
    "ReportingPeriod",
    "ReportingRound",
    "Return",
    "ReturnStatus",
    "RoundState",
    "Target",
    "Unit",
    "Value",
]
