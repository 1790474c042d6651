from plans.models.assessment import Assessment, AssessmentFinding, AssessmentTheme
from plans.models.organisation import OrgUnit
from plans.models.plan import (
    Milestone,
    Plan,
    PlanKind,
    PlanStatus,
    ScorecardDomain,
    Statement,
    StrategyReference,
)
from plans.models.resources import BudgetLine, BudgetTable, LineKind, ResourceStatement
from plans.models.risks import MitigatingAction, Risk
from plans.models.thread import Action, ActionKind, ActionStatus, Outcome, Priority

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "Assessment",
    "AssessmentFinding",
    "AssessmentTheme",
    "BudgetLine",
    "BudgetTable",
    "LineKind",
    "Milestone",
    "MitigatingAction",
    "OrgUnit",
    "Outcome",
    "Plan",
    "PlanKind",
    "PlanStatus",
    "Priority",
    "ResourceStatement",
    "Risk",
    "ScorecardDomain",
    "Statement",
    "StrategyReference",
]
