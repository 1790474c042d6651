from django.contrib import admin

from core.importing import SafeImportExportAdmin
from plans.models import (
    Action,
    Assessment,
    AssessmentFinding,
    AssessmentTheme,
    BudgetLine,
    BudgetTable,
    Milestone,
    MitigatingAction,
    OrgUnit,
    Outcome,
    Plan,
    Priority,
    ResourceStatement,
    Risk,
    ScorecardDomain,
    Statement,
    StrategyReference,
)
from plans.resources import RiskResource


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["order", "kind", "title", "text"]


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0
    fields = ["number", "title", "slug", "org_unit", "order"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "status", "start", "end", "serves"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["serves"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StatementInline, PriorityInline]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    fields = ["number", "label", "title", "slug", "narrative", "order"]
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "number", "org_unit"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "org_unit"]
    autocomplete_fields = ["plan", "org_unit"]
    inlines = [OutcomeInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["order", "kind", "text", "owner", "due_date", "status"]
    fk_name = "outcome"


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0
    fields = ["order", "title", "initial_score", "residual_score", "owner"]
    show_change_link = True


class MitigatingActionInline(admin.TabularInline):
    model = MitigatingAction
    extra = 0
    fields = ["order", "text", "risk"]
    fk_name = "outcome"


class ResourceStatementInline(admin.TabularInline):
    model = ResourceStatement
    extra = 0
    fields = ["order", "text"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "label", "priority", "plan"]
    list_filter = ["priority__plan"]
    search_fields = ["title", "narrative", "label"]
    list_select_related = ["priority__plan"]
    autocomplete_fields = ["priority"]
    # indicators/admin.py adds the indicators an outcome monitors after the actions.
    inlines = [ActionInline, RiskInline, MitigatingActionInline, ResourceStatementInline]

    @admin.display(ordering="priority__plan__title")
    def plan(self, outcome: Outcome) -> Plan:
        return outcome.priority.plan


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["short_text", "plan", "kind", "org_unit", "status", "due_date"]
    list_filter = ["plan", "kind", "status", "org_unit"]
    search_fields = ["text", "owner"]
    list_select_related = ["plan", "org_unit"]
    autocomplete_fields = ["plan", "priority", "outcome", "org_unit"]

    @admin.display(description="Action", ordering="text")
    def short_text(self, action: Action) -> str:
        return action.text[:100]


@admin.register(Risk)
class RiskAdmin(SafeImportExportAdmin):
    resource_classes = [RiskResource]
    list_display = ["title", "plan", "reference", "initial_score", "residual_score", "owner", "review_date"]
    list_filter = ["plan"]
    search_fields = ["title", "description", "controls", "owner"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan", "outcome"]
    ordering = ["plan", "order"]


@admin.register(MitigatingAction)
class MitigatingActionAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "outcome", "risk"]
    list_filter = ["plan"]
    search_fields = ["text"]
    list_select_related = ["plan", "outcome", "risk"]
    autocomplete_fields = ["plan", "outcome", "risk"]


@admin.register(ResourceStatement)
class ResourceStatementAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "outcome"]
    list_filter = ["plan"]
    search_fields = ["text"]
    list_select_related = ["plan", "outcome"]
    autocomplete_fields = ["plan", "outcome"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "head", "head_title", "defined_by"]
    list_filter = ["kind", "defined_by"]
    search_fields = ["name", "head", "overview"]
    list_select_related = ["parent", "defined_by"]


@admin.register(StrategyReference)
class StrategyReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "org_unit"]
    list_filter = ["plan", "org_unit"]
    search_fields = ["title"]
    list_select_related = ["plan", "org_unit"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["text", "period_label", "plan"]
    list_filter = ["plan", "period_label"]
    search_fields = ["text"]
    list_select_related = ["plan"]


@admin.register(ScorecardDomain)
class ScorecardDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name", "description"]
    list_select_related = ["plan"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "note", "label", "cells", "kind"]


@admin.register(BudgetTable)
class BudgetTableAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "unit"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan"]
    inlines = [BudgetLineInline]


class AssessmentThemeInline(admin.TabularInline):
    model = AssessmentTheme
    extra = 0
    fields = ["order", "headline_question", "theme", "score"]


class AssessmentFindingInline(admin.TabularInline):
    model = AssessmentFinding
    extra = 0
    fields = ["kind", "order", "text"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "assessor", "published", "overall_score", "plan"]
    search_fields = ["title", "assessor"]
    list_select_related = ["plan"]
    inlines = [AssessmentThemeInline, AssessmentFindingInline]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "plan"]
    list_filter = ["plan", "kind"]
    search_fields = ["title", "text"]
    list_select_related = ["plan"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["label", "note", "cells", "kind", "table"]
    list_filter = ["table__plan"]
    search_fields = ["label"]
    list_select_related = ["table"]


@admin.register(AssessmentTheme)
class AssessmentThemeAdmin(admin.ModelAdmin):
    list_display = ["theme", "score", "headline_question", "assessment"]
    list_select_related = ["assessment"]


@admin.register(AssessmentFinding)
class AssessmentFindingAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "assessment"]
    list_filter = ["kind"]
    search_fields = ["text"]
    list_select_related = ["assessment"]
