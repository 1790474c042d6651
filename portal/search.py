"""Site search: an indicator by its code as printed, or anything published by its words (indicators,
outcomes, plans, partners, organisation units, actions and changes, the glossary, cross-cutting
strategies, budget tables and scorecard domains). A constant number of queries: one per kind."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from indicators.codes import InvalidCode, normalise_code
from indicators.models import Indicator
from partners.models import GlossaryTerm, Partner
from plans.models import Action, BudgetTable, OrgUnit, Outcome, Plan, ScorecardDomain, StrategyReference

MAX_WORDS = 8


def _all_words(field: str, words: list[str]) -> Q:
    """Every word somewhere in `field` (so "household waste" finds "% of household waste sent ...")."""
    found = Q()
    for word in words:
        found &= Q(**{f"{field}__icontains": word})
    return found


def search(request: HttpRequest) -> HttpResponse:
    """Who: anyone. Find an indicator by its code ("NI 16", "ni16", "N1 14") or anything by its words."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    results: dict[str, list] = {}
    if query:
        try:
            code = normalise_code(query)
        except InvalidCode:
            code = None
        if code and (exact := Indicator.objects.filter(code=code).first()):
            return redirect(exact)
        results = _find(query, query.split()[:MAX_WORDS])
    total = sum(len(found) for found in results.values())
    return render(request, "portal/search.html", {"query": query, "results": results, "total": total})


def _find(query: str, words: list[str]) -> dict[str, list]:
    return {
        "indicators": list(
            Indicator.objects.filter(_all_words("title", words) | Q(aliases__alias__iexact=query)).distinct()[:50]
        ),
        "outcomes": list(
            Outcome.objects.filter(_all_words("title", words) | Q(narrative__icontains=query)).select_related(
                "priority__plan"
            )[:50]
        ),
        "plans": list(Plan.objects.filter(_all_words("title", words))[:20]),
        "partners": list(
            Partner.objects.filter(
                _all_words("name", words) | Q(aliases__name__iexact=query) | Q(abbreviation__iexact=query)
            ).distinct()[:20]
        ),
        "units": list(
            OrgUnit.objects.filter(_all_words("name", words) | Q(overview__icontains=query))
            .exclude(defined_by=None)
            .select_related("defined_by")[:20]
        ),
        "actions": list(
            Action.objects.filter(_all_words("text", words))
            .select_related("plan", "outcome__priority__plan", "org_unit__defined_by")
            .order_by("plan__order", "order")[:50]
        ),
        "glossary": list(GlossaryTerm.objects.filter(Q(term__iexact=query) | _all_words("expansion", words))[:20]),
        "strategies": list(
            StrategyReference.objects.filter(_all_words("title", words))
            .exclude(org_unit=None)
            .select_related("org_unit__defined_by")[:20]
        ),
        "budget_tables": list(
            BudgetTable.objects.filter(_all_words("title", words) | Q(lines__label__icontains=query))
            .distinct()
            .select_related("plan")[:20]
        ),
        "domains": list(ScorecardDomain.objects.filter(_all_words("name", words)).select_related("plan")[:20]),
    }
