"""Issue 12, the pages: what load_luton loads is published, not only in the admin. The departments of
the Corporate Plan 2011-14, both plans' budget tables, the Service Plans 2024 by directorate and
service, the LAA's glossary and partner groups, and the 2008-14 scorecard by its four domains: what
each page says, checked against the database and the documents; every one reached from the home page
within three clicks and found by search."""

import re
from collections import deque
from html import escape, unescape

import pytest

from indicators.models import PlanIndicator
from partners.models import GlossaryTerm, PartnerMembership
from plans.models import Action, ActionKind, BudgetLine, OrgUnit, Plan, ScorecardDomain, StrategyReference
from tests.conftest import publish

pytestmark = pytest.mark.django_db

HOUSING = "/plans/corporate-plan-2011-14/departments/housing-and-community-living-department/"


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _between(page: str, first: str, then: str, last: str | None = None) -> bool:
    """`then` comes after `first` (and before `last`, when given)."""
    start = page.index(first)
    at = page.index(then, start)
    return last is None or at < page.index(last, start)


def test_a_department_shows_its_measures_with_status_and_its_priorities_by_theme(client, people):
    publish("NI 163", "2010/11", "66", by=people["approver"])  # target 65%, higher is better
    page = _text(client.get(HOUSING))
    assert "Pam Garraway, Interim Corporate Director" in page
    row = page[page.index("NI 163 – Proportion of population qualified to at least level 2 or higher") :]
    row = row[: row.index("</tr>")]
    assert "66% (2010/11)" in row and "On track" in row and "65%" in row

    unit = OrgUnit.objects.get(slug="housing-and-community-living-department")
    priorities = Action.objects.filter(org_unit=unit, kind=ActionKind.DELIVERY_PRIORITY).select_related("priority")
    themes = sorted({a.priority for a in priorities}, key=lambda p: p.order)
    assert [t.number for t in themes] == [1, 2, 3, 4, 5, 6, 7, 8]
    captions = [escape(f"Theme {theme.number}: {theme.title}") for theme in themes]
    assert [page.index(caption) for caption in captions] == sorted(page.index(caption) for caption in captions)
    for action in priorities:  # each item under its own theme's caption, before the next theme's
        n = themes.index(action.priority)
        assert _between(page, captions[n], escape(action.text), captions[n + 1] if n + 1 < len(captions) else None)


def test_every_department_item_of_the_corporate_plan_2011_14_is_on_its_departments_page(client):
    plan = Plan.objects.get(slug="corporate-plan-2011-14")
    counts = {"delivery_priority": 0, "efficiency_project": 0, "strategy": 0, "measure": 0}
    for unit in plan.org_units.all():
        page = unescape(_text(client.get(unit.get_absolute_url())))
        for action in unit.actions.all():
            assert action.text in page, (unit.name, action.text)
            counts[action.kind] += 1
        for strategy in unit.strategy_references.all():
            assert strategy.title in page
            counts["strategy"] += 1
        for measure in PlanIndicator.objects.filter(org_unit=unit):
            assert measure.printed in page
            counts["measure"] += 1
    # The counts: 132 delivery priorities, 28 efficiency projects, 32 cross-cutting strategies.
    assert counts == {"delivery_priority": 132, "efficiency_project": 28, "strategy": 32, "measure": 66}
    chief = _text(client.get("/plans/corporate-plan-2011-14/departments/chief-executives-department/"))
    assert "Printed without a theme" in chief and "Theme 1:" not in chief  # its priorities print no theme


def test_service_plans_show_each_service_by_directorate_with_outcomes_and_every_change(client):
    plan = Plan.objects.get(slug="service-plans-2024")
    plan_page = _text(client.get(plan.get_absolute_url()))
    changes = measures = 0
    for directorate in plan.org_units.filter(parent=None):
        assert _between(plan_page, "Directorates and services", escape(directorate.name))
        directorate_page = _text(client.get(directorate.get_absolute_url()))
        for service in directorate.children.all():
            assert f'href="{service.get_absolute_url()}"' in directorate_page
            assert _between(plan_page, escape(directorate.name), f'href="{service.get_absolute_url()}"')
            page = unescape(_text(client.get(service.get_absolute_url())))
            assert service.overview in page
            assert "five key 2040 outcomes the plan is contributing towards" in page
            for outcome in service.priorities.get().outcomes.all():
                assert f"{outcome.label}: {outcome.title}" in page
            for change in service.actions.filter(kind=ActionKind.CHANGE):
                row = page[page.index(change.text) :]
                row = row[: row.index("</tr>")]
                changes += 1
                for measure in change.measures.all():
                    assert measure.printed in row
                    measures += 1
                if not change.measures.exists():
                    assert "None printed" in row
    assert (changes, measures) == (58, 53)  # Neighbourhood Services prints no key measure for its five


def test_budget_tables_are_shown_as_printed_and_a_wrong_total_is_said_in_words(client):
    page = _text(client.get("/plans/corporate-plan-2011-14/budget/"))
    for printed in ("256.62", "64.6", "4.30", "-37.99", "480.08", "499.78", "156.86", "50%", "41%"):
        assert f">{printed}<" in page
    assert page.count("Each printed total in this table is the sum of the rows it totals.") == 3
    assert "govuk-warning-text" not in page
    assert "A £40.90m B £1.32m C -£0.64m D -£1.83m E -£39.75 (contra balance)" in page

    total = BudgetLine.objects.get(table__title="Revenue expenditure in 2011/12", label="TOTAL")
    total.cells = ["480.18", *total.cells[1:]]
    total.save()
    page = unescape(_text(client.get("/plans/corporate-plan-2011-14/budget/")))
    assert (
        "The printed TOTAL of “2011/12 expenditure £m” is £480.18m, but the 2 rows it totals add up to "
        "£480.08m: the printed figure is £0.10m more. The table is shown as printed." in page
    )
    assert "<strong>480.18</strong>" in page  # the printed figure stands
    assert page.count("Each printed total in this table is the sum of the rows it totals.") == 2

    older = unescape(_text(client.get("/plans/corporate-plan-2008-14/budget/")))
    assert ">£0.75m<" in older and "invested an additional £9m" in older


def test_the_2008_14_scorecard_is_grouped_by_its_four_domains(client):
    page = unescape(_text(client.get("/plans/corporate-plan-2008-14/scorecard/")))
    assert "Other measures" not in page
    headings = [f">{name}</h2>" for name in ScorecardDomain.objects.filter(plan__slug="corporate-plan-2008-14")]
    assert headings == [
        ">Use of Resources</h2>",
        ">High Quality Services</h2>",
        ">Capacity to Improve</h2>",
        ">Citizen / User Feedback</h2>",
    ]
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    for link in PlanIndicator.objects.filter(plan__slug="corporate-plan-2008-14").select_related("indicator"):
        n = headings.index(f">{link.scorecard_domain}</h2>")
        assert _between(page, headings[n], link.indicator.get_absolute_url(), headings[n + 1] if n < 3 else None)
    assert _between(
        page,
        ">High Quality Services</h2>",
        "These will be based on the key indicators relevant to the outcomes set out in this plan. They will "
        "also be supplemented by 15 business critical indicators.",
        ">Capacity to Improve</h2>",
    )
    assert _between(page, ">High Quality Services</h2>", "The plan lists no measures under this heading.")


def test_the_glossary_runs_a_to_z_and_links_terms_and_partners(client):
    page = _text(client.get("/partners/glossary/"))
    terms = sorted(GlossaryTerm.objects.all(), key=lambda term: term.term.casefold())
    assert len(terms) == 22
    positions = [page.index(f'<dt class="govuk-summary-list__key">{escape(term.term)}</dt>') for term in terms]
    assert positions == sorted(positions)
    lbc = page[page.index('id="term-lbc"') :]
    assert lbc.index('href="/partners/luton-borough-council/"') < lbc.index("</div>")
    cypsb = page[page.index('id="term-cypsb"') :]
    assert "href=" not in cypsb[: cypsb.index("</div>")]  # no partner has that short name
    assert 'href="#letter-C"' in page and 'href="#letter-A"' not in page  # no term starts with A

    partner = _text(client.get("/partners/luton-borough-council/"))
    assert 'href="/partners/glossary/#term-lbc"' in partner

    groups = _text(client.get("/partners/groups/"))
    for membership in PartnerMembership.objects.select_related("group", "member"):
        assert _between(groups, escape(membership.group.name), escape(membership.printed))


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("CYPSB", "/partners/glossary/#term-cypsb"),
        ("Tobacco Control Strategy", "/departments/public-health-department/#cross-cutting-strategies"),
        ("capital financing", "/plans/corporate-plan-2011-14/budget/#table-"),
        ("Citizen / User Feedback", "/plans/corporate-plan-2008-14/scorecard/#domain-citizen-user-feedback"),
        ("Inclusive Growth", "/plans/service-plans-2024/services/inclusive-growth/"),
        ("temporary accommodation numbers", "/plans/service-plans-2024/services/housing/#action-"),
        ("Lean focussed review", "/departments/chief-executives-department/#action-"),
    ],
)
def test_search_finds_every_new_section(client, query, found):
    assert found in _text(client.get("/search/", {"q": query}))


@pytest.mark.parametrize(
    "url",
    [
        "/plans/laa-2008-11/budget/",  # prints no financial tables
        "/plans/laa-2008-11/departments/housing-and-community-living-department/",  # another plan's unit
        "/plans/service-plans-2024/departments/housing/",  # a service, not a department
        "/plans/service-plans-2024/services/no-such-service/",
    ],
)
def test_a_page_that_does_not_exist_is_not_found(client, url):
    assert client.get(url).status_code == 404


# ---- Every section within three clicks of the home page -------------------------------------------

LINK = re.compile(r'href="(/[^"]*)"')
NOT_FOLLOWED = ("/admin/", "/accounts/", "/api/", "/static/", "/returns/", "/reports/", "/dashboard/", "/signed-in/")


def _crawl(client, targets: set[str], *, clicks: int) -> dict[str, int]:
    """Breadth first from "/" along the links of each page: how many clicks each address took. Stops
    when every target has been reached, or no page within `clicks` is left to read. Leaving some links
    unfollowed (the admin, downloads) can only make a page look further away, never nearer."""
    depth = {"/": 0}
    queue = deque(["/"])
    while queue and not targets <= depth.keys():
        url = queue.popleft()
        if depth[url] >= clicks:
            break
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(response.content.decode()):
            link = unescape(href).split("#")[0]
            if link.startswith(NOT_FOLLOWED) or re.search(r"\.(csv|zip|json|pdf|xlsx)$", link):
                continue
            if link not in depth:
                depth[link] = depth[url] + 1
                queue.append(link)
    return depth


def test_every_new_section_is_within_three_clicks_of_the_home_page(client):
    units = OrgUnit.objects.filter(defined_by__slug__in=["corporate-plan-2011-14", "service-plans-2024"])
    targets = {unit.get_absolute_url() for unit in units.select_related("defined_by")} | {
        "/plans/corporate-plan-2011-14/budget/",
        "/plans/corporate-plan-2008-14/budget/",
        "/plans/corporate-plan-2008-14/scorecard/",
        "/partners/glossary/",
        "/partners/groups/",
    }
    assert len(targets) == 6 + 16 + 5  # six departments; four directorates and twelve services

    depth = _crawl(client, targets, clicks=3)

    assert {target for target in targets if depth.get(target, 99) > 3} == set()


# ---- Query counts: pinned, and the same with more of everything -------------------------------------


def _grow_documents(n: int, *, by) -> None:
    """n more of everything the new pages list: measures (each with a published figure), priorities,
    projects, strategies, changes, outcomes, departments, services, budget rows, glossary terms, group
    members and scorecard measures."""
    from indicators.models import Indicator, ReportingPeriod, Target
    from partners.models import Partner
    from plans.models import Outcome

    corporate = Plan.objects.get(slug="corporate-plan-2011-14")
    services = Plan.objects.get(slug="service-plans-2024")
    older = Plan.objects.get(slug="corporate-plan-2008-14")
    department = OrgUnit.objects.get(slug="housing-and-community-living-department")
    service = OrgUnit.objects.get(slug="housing", defined_by=services)
    theme = corporate.priorities.get(number=3)
    table = corporate.budget_tables.get(title="Capital expenditure in 2011/12")
    group = Partner.objects.get(slug="solutions")
    domain = older.scorecard_domains.get(name="High Quality Services")
    for i in range(n):
        indicator = Indicator.objects.create(
            slug=f"grown-measure-{i}",
            code=f"LBC {900 + i}",
            title=f"Grown measure {i}",
            unit="count",
            polarity="higher",
        )
        Target.objects.create(
            plan=corporate,
            indicator=indicator,
            period=ReportingPeriod.objects.get(label="2010/11"),
            text="100",
            value=100,
        )
        publish(f"LBC {900 + i}", "2010/11", 90 + i, by=by)
        for plan, unit, extra in ((corporate, department, {}), (older, None, {"scorecard_domain": domain.name})):
            PlanIndicator.objects.create(
                plan=plan,
                indicator=indicator,
                org_unit=unit,
                inclusion="key_performance_measure",
                printed=f"Grown measure {i}",
                title=f"Grown measure {i}",
                order=1000 + i,
                **extra,
            )
        for kind, order in ((ActionKind.DELIVERY_PRIORITY, 2000), (ActionKind.EFFICIENCY_PROJECT, 3000)):
            Action.objects.create(
                plan=corporate, org_unit=department, priority=theme, kind=kind, text=f"Grown {i}", order=order + i
            )
        StrategyReference.objects.create(
            plan=corporate, org_unit=department, title=f"Grown strategy {i}", order=1000 + i
        )
        change = Action.objects.create(
            plan=services, org_unit=service, kind=ActionKind.CHANGE, text=f"Grown change {i}", order=2000 + i
        )
        # A key measure in words, as the Service Plans print them (no figures: the plan has none).
        measure = Indicator.objects.create(slug=f"grown-key-measure-{i}", title=f"Grown key measure {i}")
        PlanIndicator.objects.create(
            plan=services,
            indicator=measure,
            org_unit=service,
            action=change,
            inclusion="key_measure",
            printed=f"Grown key measure {i}",
            title=f"Grown key measure {i}",
            order=1000 + i,
        )
        Outcome.objects.create(
            priority=service.priorities.get(),
            number=100 + i,
            slug=f"grown-{i}",
            title=f"Grown outcome {i}",
            order=100 + i,
        )
        OrgUnit.objects.create(
            slug=f"grown-service-{i}",
            kind="service",
            name=f"Grown service {i}",
            parent=service.parent,
            defined_by=services,
            order=100 + i,
        )
        OrgUnit.objects.create(
            slug=f"grown-department-{i}",
            kind="department",
            name=f"Grown department {i}",
            defined_by=corporate,
            order=100 + i,
        )
        BudgetLine.objects.create(table=table, label=f"Grown row {i}", cells=["1.00", "1%"], order=100 + i)
        partner = Partner.objects.create(slug=f"grown-partner-{i}", name=f"Grown partner {i}", abbreviation=f"GP{i}")
        GlossaryTerm.objects.create(term=f"GP{i}", expansion=f"Grown partner {i}", order=100 + i)
        PartnerMembership.objects.create(group=group, member=partner, printed=f"Grown partner {i}", order=100 + i)
    ScorecardDomain.objects.create(plan=older, name="Grown domain", order=99)


NEW_PAGES = [
    # publication version; unit; its measures; judging (breakdowns, latest periods, figures, their
    # periods, targets); actions; services under it; outcomes; strategies
    (HOUSING, 12),
    ("/plans/service-plans-2024/services/housing/", 7),  # no measures of its own to judge
    ("/plans/service-plans-2024/directorates/population-wellbeing/", 7),
    ("/plans/corporate-plan-2011-14/budget/", 4),  # publication version; plan; tables; their rows
    # publication version; plan; its domains; measures; lead partners; judging (five); baselines
    ("/plans/corporate-plan-2008-14/scorecard/", 11),
    ("/partners/glossary/", 3),  # publication version; terms; the partners they name
    ("/partners/groups/", 3),  # publication version; groups; their members
    ("/search/?q=grown", 11),
    # The plans' pages now list their units, with no query per unit (the thread's judging reads more
    # where figures are published: the Corporate Plan 2011-14's NI 163)
    ("/plans/service-plans-2024/", 16),
    ("/plans/corporate-plan-2011-14/", 19),  # publication version; one query for each of the ten kinds of result
]


def test_new_page_queries_are_pinned_and_do_not_grow(client, people, django_assert_num_queries):
    publish("NI 163", "2010/11", "66", by=people["approver"])  # a measure of the housing department's
    publish("NI 1", "2010/11", "70", by=people["approver"])  # on the 2008-14 scorecard
    for url, queries in NEW_PAGES:
        with django_assert_num_queries(queries, info=url):
            assert client.get(url).status_code == 200
    _grow_documents(12, by=people["approver"])  # a write to the thread moves the publication version
    for url, queries in NEW_PAGES:
        with django_assert_num_queries(queries, info=url):
            page = _text(client.get(url))
        assert "Grown" in page, url


def test_new_pages_are_kept_by_the_public_page_cache(client, django_assert_num_queries):
    client.get(HOUSING)
    with django_assert_num_queries(1):  # the publication version only
        assert "Pam Garraway" in _text(client.get(HOUSING))
