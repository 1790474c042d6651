"""Issue 15, the public site and the dashboards: what each role sees, page by page. Each test names the
item of the issue it checks; browser checks (phones, charts in Chromium, axe) are in
tests/browser/test_journeys.py."""

import html
import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from indicators.models import Indicator, ReportingPeriod
from plans.models import Outcome
from returns import actions
from tests.conftest import make_user, open_round_for, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    approver = people["approver"]
    publish("NI 16", "2010/11 Q1", "30.5", by=approver)  # target 31.10, lower is better: on track
    publish("NI 16", "2010/11 Q2", "36.0", by=approver)  # off track, worsening
    publish("NI 192", "2010/11 Q2", "43.0", by=approver)  # a percentage, on track
    open_round_for(ReportingPeriod.objects.get(label="2010/11 Q2"))
    return people


def _text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---- 3. Risk registers ----------------------------------------------------------------------------


def test_3_the_risk_register_shades_and_labels_each_cell_and_its_counts_list_the_risks(client):
    page = client.get("/plans/corporate-plan-2011-14/risks/").content.decode()
    grid = page[page.index("Number of risks at each score, before and after controls") : page.index('id="risks"')]
    # Score 9: six risks before controls, none after; each cell shaded by its band and says it in words.
    row = grid[grid.index('<th scope="row" class="govuk-table__header">9</th>') :]
    row = row[: row.index("</tr>")]
    assert row.count('class="govuk-table__cell luton-risk-cell--high"') == 2
    assert _text(row) == "9 High 6 risks High no risks –"
    link = html.unescape(re.search(r'href="\?([^"#]+)#risks">6 risks', row).group(1))
    listed = client.get(f"/plans/corporate-plan-2011-14/risks/?{link}").content.decode()
    assert "Risks with an initial score of 9 (6)" in listed
    assert listed.count('class="govuk-summary-card"') == 6
    # A link naming no cell shows every risk rather than failing.
    assert client.get("/plans/corporate-plan-2011-14/risks/?stage=initial&score=x").status_code == 200


def test_3_a_register_without_scores_is_a_plain_list_with_one_note(client):
    page = client.get("/plans/corporate-plan-2008-14/risks/").content.decode()
    assert "Not printed" not in page and "Not scored" not in page
    assert page.count("prints no scores") == 1
    assert "Draft Corporate Plan 2008-14 prints no scores for its 50 risks" in _text(page)
    assert "1.1.1. Not maintaining appropriate ICT development" in _text(page)


# ---- 7. One number format, as displayed ----------------------------------------------------------


def test_7_figures_read_the_same_everywhere(client, people):
    approver = people["approver"]
    publish("NI 192", "2010/11 Q1", "40.50", by=approver)
    publish("NI 192", "2010/11 Q2", "43.0", by=approver)
    publish("NI 156", "2010/11 Q2", "1234", by=approver)
    indicator = client.get("/indicators/ni-192/").content.decode()
    assert "Latest published figure 43% for 2010/11 Q2" in indicator
    assert ">40.5%<" in indicator and "43.0" not in indicator and "40.50" not in indicator
    scorecard = client.get("/plans/laa-2008-11/scorecard/").content.decode()
    assert "43% (2010/11 Q2)" in scorecard and "1,234 (2010/11 Q2)" in scorecard
    assert "1234" not in _text(scorecard)


# ---- 8. What the council says --------------------------------------------------------------------


def test_8_approved_commentary_is_public_and_a_drafts_is_not(client, published):
    page = client.get("/indicators/ni-16/").content.decode()
    says = page[page.index("What the council says") :]
    assert "Test figure." in says[: says.index("</div>")]
    assert "On the figure for 2010/11 Q2" in says

    open_round_for(ReportingPeriod.objects.get(label="2010/11 Q3"))
    actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 192"),
        period=ReportingPeriod.objects.get(label="2010/11 Q3"),
        entered=actions.ReturnInput(numbers={"value": {"value": Decimal(44)}}, commentary="Draft words, not public."),
        by=published["approver"],
        expected_version=0,
        submit=True,
    )
    page = client.get("/indicators/ni-192/").content.decode()
    assert "Draft words" not in page and "What the council says" in page


def test_8_the_members_dashboard_shows_the_commentary_on_each_figure(client, published):
    client.force_login(published["member"])
    page = client.get("/dashboard/", {"quarter": "2010-11-q2"}).content.decode()
    row = page[page.index("NI 16: Serious acquisitive crime") :]
    assert "<strong>The council says:</strong> Test figure." in row[: row.index("</tr>")]


# ---- 9. The members' dashboard -------------------------------------------------------------------


def test_9_each_figure_shows_its_period(client, published):
    publish("NI 181", "2010/11 Q1", "12", by=published["approver"])
    client.force_login(published["member"])
    page = client.get("/dashboard/").content.decode()
    row = page[page.index("NI 181:") :]
    row = row[: row.index("</tr>")]
    assert 'data-label="Figure">12 days<' in row and 'data-label="Period">2010/11 Q1<' in row


def test_9_the_priority_filter_offers_every_plans_priorities(client, published):
    client.force_login(published["member"])
    page = client.get("/dashboard/", {"plan": "corporate-plan-2008-14"}).content.decode()
    select = page[page.index('id="f-priority"') : page.index("</select>", page.index('id="f-priority"'))]
    for title in ("A financially sound and efficient Council", "Health and well-being", "Children and Young People"):
        assert f">{escape(title)}</option>" in select
    # Its indicators sit under outcomes: filtering by a priority finds them (NI 14 under the first).
    priority = re.search(r'<option value="(\d+)">A financially sound', select).group(1)
    filtered = client.get("/dashboard/", {"plan": "corporate-plan-2008-14", "priority": priority}).content.decode()
    assert "NI 14: Avoidable Contact" in filtered

    page = client.get("/dashboard/", {"plan": "corporate-plan-2011-14"}).content.decode()
    assert "Corporate Plan 2011 – 2014 lists its measures by department, not by priority" in page


def test_9_departments_come_from_the_documents(client, published):
    publish("NI 181", "2010/11 Q1", "12", by=published["approver"])
    client.force_login(published["member"])
    page = client.get("/dashboard/").content.decode()
    select = page[page.index('id="f-unit"') : page.index("</select>", page.index('id="f-unit"'))]
    # The 2011-14 departmental plans' departments and the 2024 directorates, not only the one demo assignment.
    for name in ("Customer and Corporate Service Department", "Chief Executive&#x27;s Department", "Inclusive Economy"):
        assert name in select
    assert select.count("<option") > 10
    unit = re.search(r'<option value="(\d+)">Customer and Corporate Service Department', select).group(1)
    filtered = client.get("/dashboard/", {"unit": unit}).content.decode()
    assert "NI 181: Time taken to process" in filtered and "NI 16:" not in filtered


def test_9_columns_sort_by_links(client, published):
    client.force_login(published["member"])
    page = client.get("/dashboard/", {"quarter": "2010-11-q2", "sort": "status"}).content.decode()
    assert page.index("NI 16: Serious") < page.index("NI 192: %")  # off track before on track
    assert '<th scope="col" class="govuk-table__header" aria-sort="ascending"><a class="govuk-link' in page
    assert 'href="?quarter=2010-11-q2&amp;sort=-status">Status</a>' in page  # again: the other way
    reverse = client.get("/dashboard/", {"quarter": "2010-11-q2", "sort": "-status"}).content.decode()
    first_row = reverse[reverse.index('<tbody class="govuk-table__body">') :]
    assert "No data" in first_row[: first_row.index("</tr>")] and "NI 16: Serious" not in reverse
    assert 'aria-sort="descending"' in reverse
    assert client.get("/dashboard/", {"sort": "nonsense"}).status_code == 200


# ---- 10. Each role's own page; search on every page -----------------------------------------------


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("officer", "/returns/"),
        ("approver", "/returns/sign-off/"),
        ("member", "/dashboard/"),
        ("lead_partner", "/partners/my-targets/"),
        ("admin", "/admin/"),
    ],
)
def test_10_signing_in_lands_each_role_on_its_own_page(client, people, role, landing):
    response = client.post(
        "/accounts/login/", {"username": people[role].username, "password": "a-long-test-password"}, follow=True
    )
    if role in ("approver", "admin"):
        # Their first sign-in sets up the second factor, then goes on to the landing page.
        assert response.redirect_chain[-1][0] == "/accounts/two-factor/set-up/?next=%2Fsigned-in%2F"
        client.force_login(people[role])  # both factors
        assert client.get("/signed-in/")["Location"] == landing
    else:
        assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_10_a_page_asked_for_before_signing_in_still_wins(client, people):
    response = client.post(
        "/accounts/login/?next=/partners/",
        {"username": people["member"].username, "password": "a-long-test-password", "next": "/partners/"},
    )
    assert response["Location"] == "/partners/"


@pytest.mark.parametrize(
    "url", ["/", "/plans/laa-2008-11/", "/indicators/ni-16/", "/partners/", "/about/status/", "/accounts/login/"]
)
def test_10_search_is_in_the_header_of_every_page(client, url):
    page = client.get(url).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert '<form class="luton-header-search" method="get" action="/search/" role="search"' in header
    assert '<label class="govuk-label govuk-label--s" for="header-search">Search by indicator code or words</label>' in header


# ---- 13. Empty outcomes, the LAA's drill-down, partners' targets ----------------------------------


def test_13_an_outcome_without_indicators_or_actions_says_so(client):
    outcome = Outcome.objects.filter(indicator_links__isnull=True, actions__isnull=True).first()
    page = _text(client.get(outcome.get_absolute_url()).content.decode())
    plan = outcome.priority.plan.title
    assert f"{plan} names no indicators for this outcome." in page
    assert f"{plan} names no actions for this outcome." in page


def test_13_the_laa_plan_page_drills_down_to_its_indicators(client, published):
    page = client.get("/plans/laa-2008-11/").content.decode()
    assert 'href="/indicators/ni-16/">NI 16: Serious acquisitive crime rate' in page
    row = page[page.index('href="/indicators/ni-16/">') :]
    assert "Off track" in row[: row.index("</tr>")]


def test_13_partners_show_their_number_of_targets_and_each_target_beside_its_status(client, published):
    directory = _text(client.get("/partners/").content.decode())
    assert "Jobcentre Plus 8 3" in directory  # signed up to 8, leads 3
    page = client.get("/partners/solutions/").content.decode()
    row = page[page.index("NI 16: Serious acquisitive crime") :]
    row = row[: row.index("</tr>")]
    assert 'data-label="Target">31.10 (5,810 offences)<' in row and "Off track" in row


# ---- 14. Roll-ups as pictures ---------------------------------------------------------------------


def test_14_every_roll_up_has_a_stacked_bar_beside_its_counts(client, published):
    page = client.get("/").content.decode()
    laa = page[page.index("Luton&#x27;s Local Area Agreement") :]
    laa = laa[: laa.index("</tr>")]
    bar = re.search(r'<svg class="luton-status-bar".*?</svg>', laa).group(0)
    # One off track, one on track, 56 without data: the red is one 58th of the bar.
    widths = {colour: width for width, colour in re.findall(r'width="([\d.]+)" height="12" fill="(#\w+)"', bar)}
    red, green, grey = "#d4351c", "#00703c", "#b1b4b6"
    assert widths == {red: f"{120 / 58:.2f}", green: f"{120 / 58:.2f}", grey: f"{120 * 56 / 58:.2f}"}
    assert "1 on track, 0 close to target, 1 off track, 56 without published data" in laa
    for url in ("/plans/laa-2008-11/", "/partners/solutions/"):
        assert '<svg class="luton-status-bar"' in client.get(url).content.decode(), url
    client.force_login(published["member"])
    assert client.get("/dashboard/").content.decode().count('<svg class="luton-status-bar"') > 10


# ---- 15. The sign-in page and the chart, as a screen reader meets them ----------------------------


def test_15_a_failed_sign_in_says_error_in_the_title_and_beside_the_field(client, people):
    page = client.post("/accounts/login/", {"username": people["member"].username, "password": "wrong"})
    html = page.content.decode()
    assert "<title>Error: Sign in – Luton Plan – Luton Borough Council</title>" in html
    assert '<a href="#id_username">Enter a correct username and password</a>' in html
    field = html[html.index('<label class="govuk-label" for="id_username">') : html.index('id="id_password"')]
    assert '<span class="govuk-visually-hidden">Error:</span> Enter a correct username and password' in field
    assert 'aria-describedby="id_username-error"' in field
    empty = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in empty and "Enter your password" in empty


def test_15_the_chart_is_named_once_and_captioned(client, published):
    page = client.get("/indicators/ni-16/").content.decode()
    figure = page[page.index('<figure class="luton-figure">') : page.index("</figure>")]
    assert figure.count('role="img"') == 2  # wide and phone-sized: CSS shows one
    assert 'aria-labelledby="chart-ni-16-title" aria-describedby="chart-ni-16-desc"' in figure
    assert "<figcaption" in figure and "The same figures are in the table below." in figure


def test_a_new_user_without_a_role_lands_on_the_home_page(client):
    make_user("nobody", None)
    response = client.post("/accounts/login/", {"username": "nobody", "password": "a-long-test-password"})
    assert response["Location"] == "/signed-in/"
    assert client.get("/signed-in/")["Location"] == "/"


def test_the_members_dashboard_query_count_is_pinned(client, published, django_assert_num_queries):
    client.force_login(published["member"])
    client.get("/dashboard/", {"quarter": "2010-11-q2"})  # judges and caches every indicator
    # session, user, groups, second-factor device; quarters; the round, the academic years, who owes
    # returns, what is in (the late returns); the data's version. The body comes from the page cache,
    # rendered once for this publication, filter, day and set of late returns.
    with django_assert_num_queries(10):
        page = client.get("/dashboard/", {"quarter": "2010-11-q2"}).content.decode()
    assert "NI 16: Serious acquisitive crime" in page


def test_3_a_register_with_likelihood_and_impact_draws_two_grids_side_by_side():
    from django.http import QueryDict

    from plans.models import Risk
    from portal.risks import build_register

    risks = [
        Risk(pk=1, title="Flood", initial_likelihood=5, initial_impact=5, initial_score=25, residual_likelihood=2,
             residual_impact=3, residual_score=6),
        Risk(pk=2, title="Fraud", initial_likelihood=4, initial_impact=3, initial_score=12, residual_likelihood=2,
             residual_impact=3, residual_score=6),
        Risk(pk=3, title="Unscored"),
    ]
    register = build_register(risks, QueryDict("stage=residual&likelihood=2&impact=3"))
    assert [grid.stage for grid in register.grids] == ["initial", "residual"] and register.score_rows == []
    initial, residual = register.grids
    top_row = dict(initial.rows)[5]  # likelihood 5, impacts 1..5
    assert top_row[4].count == 1 and top_row[4].band.value == "high" and top_row[0].band.value == "low"
    assert dict(residual.rows)[2][2].count == 2  # both risks at likelihood 2, impact 3 after controls
    assert [r.title for r in register.shown] == ["Flood", "Fraud"]
    assert register.chosen == "a residual likelihood of 2 and impact of 3"
    assert [r.title for r in register.unscored] == ["Unscored"]
