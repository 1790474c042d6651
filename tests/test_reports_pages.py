"""Report packs on the web (issue 11): who may see which pack, the page, the CSV and the XLSX, each
checked against the figures in the database; valid HTML; query counts that do not grow with the data."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from core.roles import Role
from indicators.models import Indicator, Return
from tests.conftest import make_user, publish
from tests.html_validator import validate_html
from tests.test_reports import QUARTERS, SERIES, change

LAA_Q2 = "/reports/laa-2008-11/2010-11-q2/"


@pytest.fixture
def approver(db):
    return make_user("pages-approver", Role.PERFORMANCE_TEAM)


@pytest.fixture
def figures(approver):
    for code, values in SERIES.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            publish(code, quarter, value, by=approver)
    change(
        Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q2"),
        commentary="=HYPERLINK(\"http://example.invalid\") rose after closures",
        remedial_action="Two more prevention officers from October.",
    )


def test_a_published_pack_is_public_and_shows_each_figure_and_target_as_the_indicator_page_does(client, figures):
    page = client.get(LAA_Q2).content.decode()
    indicator_page = client.get("/indicators/ni-156/").content.decode()

    assert "Luton&#x27;s Local Area Agreement" in page or "Luton's Local Area Agreement" in page
    assert "Performance report, 2010/11 Q2" in page and "Figures as at" in page
    for shown in ("660", "570"):  # NI 156's figure and target, written as its own page writes them
        assert shown in indicator_page and f">{shown}<" in page
    assert "Off track" in page and "Likely to miss" in page and "700" in page
    assert "Two more prevention officers from October." in page
    assert "Demonstration data" not in page  # every figure here was entered as a real one
    assert 'href="/reports/laa-2008-11/2010-11-q2.xlsx"' in page


def test_a_pack_with_figures_awaiting_sign_off_is_for_the_performance_team_only(client, figures, approver):
    publish("NI 39", "2010/11 Q2", "2500", by=approver, approve=False)
    url = LAA_Q2 + "?figures=submitted"

    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(make_user("pages-member", Role.MEMBER))
    assert client.get(url).status_code == 403
    assert client.get(url.replace("/?", ".csv?")).status_code == 403
    public = client.get(LAA_Q2).content.decode()
    assert "2,500" not in public

    client.force_login(approver)
    staff = client.get(url)
    assert staff.status_code == 200
    assert "2,500" in staff.content.decode() and "not yet approved" in staff.content.decode()
    assert staff["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("fmt", ["/", ".csv", ".xlsx", ".pdf"])
def test_every_role_but_the_performance_team_is_refused_a_pack_with_unapproved_figures(client, people, fmt):
    from tests.test_permissions import PERFORMANCE_TEAM, ROLES

    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        seen[role] = client.get(f"/reports/laa-2008-11/2010-11-q2{fmt}?figures=submitted").status_code
    assert seen == PERFORMANCE_TEAM


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        (LAA_Q2 + "?figures=all", 400, "figures='all' is not a choice"),
        ("/reports/laa-2008-11/2010-11/", 404, "Page not found"),  # a year, not a quarter
        ("/reports/laa-2008-11/2099-00-q1/", 404, "Page not found"),
        ("/reports/no-such-plan/2010-11-q2/", 404, "Page not found"),
        ("/reports/?plan=no-such-plan&quarter=2010-11-q2", 400, "Choose a plan from the list"),
        ("/reports/?plan=laa-2008-11&quarter=1999", 400, "Choose a quarter from the list"),
        (LAA_Q2 + "?audience=cabinet", 400, "audience='cabinet' is not a choice: use audience=all, audience=executive"),
        ("/reports/?plan=laa-2008-11&quarter=2010-11-q2&audience=cabinet", 400, "Choose who the pack is for"),
    ],
)
def test_a_bad_address_or_choice_says_what_was_wrong(client, figures, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.content.decode()


def test_the_list_offers_each_plans_latest_pack_and_a_choice_of_quarter(client, figures, approver):
    page = client.get("/reports/").content.decode()
    assert "Latest packs: 2010/11 Q2" in page
    assert 'href="/reports/corporate-plan-2011-14/2010-11-q2/"' in page
    assert "awaiting sign-off" not in page  # that choice is the performance team's
    chosen = client.get("/reports/", {"plan": "laa-2008-11", "quarter": "2010-11-q1"})
    assert chosen["Location"] == "/reports/laa-2008-11/2010-11-q1/"
    for_forum = client.get("/reports/", {"plan": "laa-2008-11", "quarter": "2010-11-q1", "audience": "forum"})
    assert for_forum["Location"] == "/reports/laa-2008-11/2010-11-q1/?audience=forum"
    # Each committee's pack, the corporate plan in force at the quarter for the Executive and Scrutiny.
    assert 'href="/reports/corporate-plan-2008-14/2010-11-q2/?audience=executive">Executive: ' in page
    assert 'href="/reports/laa-2008-11/2010-11-q2/?audience=forum">Luton Forum: ' in page
    client.force_login(approver)
    assert "awaiting sign-off" in client.get("/reports/").content.decode()
    staff = client.get("/reports/", {"plan": "laa-2008-11", "quarter": "2010-11-q1", "figures": "submitted"})
    assert staff["Location"] == "/reports/laa-2008-11/2010-11-q1/?figures=submitted"


def test_the_csv_is_the_full_table_in_plain_digits_with_formulas_neutralised(client, figures):
    response = client.get("/reports/laa-2008-11/2010-11-q2.csv")
    assert response["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-q2.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    ni16 = next(row for row in rows if row["code"] == "NI 16")
    assert [ni16[key] for key in ("2009-10-q3", "2009-10-q4", "2010-11-q1", "2010-11-q2")] == SERIES["NI 16"]
    assert (ni16["target"], ni16["target_as_printed"], ni16["baseline"]) == ("31.1", "31.10 (5,810 offences)", "37.93 (7,085 offences)")
    assert (ni16["status"], ni16["forecast"], ni16["outlook"]) == ("On track", "28.6", "Likely to meet")
    ni156 = next(row for row in rows if row["code"] == "NI 156")
    assert ni156["commentary"].startswith("'=HYPERLINK")
    # Every indicator the plan names, each once (a split one once per part).
    assert len({row["code"] or row["indicator"] for row in rows}) == Indicator.objects.for_plan("laa-2008-11").count()
    ni153 = [row["part"] for row in rows if row["code"] == "NI 153"]
    assert ni153 == ["Biscot", "Dallow", "Northwell"]


def test_the_xlsx_has_a_sheet_per_section_numbers_in_numeric_cells_frozen_headers_and_no_formulas(client, figures):
    response = client.get("/reports/laa-2008-11/2010-11-q2.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == [
        "Cover", "Summary", "Exceptions", "Reward grant", "Indicators", "Actions", "Risks", "Data notes"
    ]
    sheet = workbook["Indicators"]
    assert sheet.freeze_panes == "A3"
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["Priority or department", "Code", "Indicator"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3) if row[1].value}
    ni16 = rows["NI 16"]
    first_quarter = headers.index("2009/10 Q3")
    cells = ni16[first_quarter : first_quarter + 4]
    assert [D(str(cell.value)) for cell in cells] == [D(v) for v in SERIES["NI 16"]]
    assert all(cell.data_type == "n" for cell in cells)
    assert cells[0].number_format == "#,##0.0"
    ni192 = rows["NI 192"][first_quarter]
    assert (ni192.value, ni192.number_format) == (43.5, '#,##0.0"%"')
    assert rows["NI 156"][first_quarter].number_format == "#,##0"
    commentary = rows["NI 156"][headers.index("Commentary")]
    assert commentary.data_type == "s" and commentary.value.startswith("'=HYPERLINK")
    assert sheet.column_dimensions["C"].width == 50
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith("=")
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
    )
    cover = workbook["Cover"]
    assert (cover["A4"].value, cover["B4"].value) == ("Quarter", "2010/11 Q2")
    assert cover["B5"].is_date and cover["B5"].number_format == "d mmmm yyyy hh:mm"  # figures as at


@override_settings(LUTON_PAGE_CACHE=False)  # what rendering costs (anonymous visitors get the page cache)
def test_the_pack_page_reads_a_fixed_number_of_queries_whatever_the_data(client, figures, approver, django_assert_num_queries):
    client.get(LAA_Q2)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(LAA_Q2)
    for code in ("NI 111", "NI 19", "NI 30"):
        for quarter in QUARTERS:
            publish(code, quarter, "100", by=approver)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(LAA_Q2)
    assert "NI 111" in response.content.decode()


PAGE_QUERIES = 25  # the plan, the quarters (to find the one named), then the builder's 23 (tests/test_reports.py)


def test_the_pack_pages_are_valid_html(client, figures, approver, tmp_path):
    pages = {
        url: client.get(url).content.decode()
        for url in (
            LAA_Q2,
            "/reports/corporate-plan-2008-14/2010-11-q2/",
            "/reports/corporate-plan-2011-14/2010-11-q2/",
            "/reports/",
            "/reports/?plan=no-such-plan&quarter=x",
            LAA_Q2 + "?audience=forum",
            LAA_Q2 + "?audience=executive",
            "/reports/corporate-plan-2011-14/2010-11-q2/?audience=scrutiny",
        )
    }
    client.force_login(approver)
    pages["staff list"] = client.get("/reports/").content.decode()
    pages["staff pack"] = client.get(LAA_Q2 + "?figures=submitted").content.decode()
    assert validate_html(pages, tmp_path) == []


def test_the_laa_pack_shows_the_reward_grant_in_pounds_on_the_page_and_to_the_penny_in_the_xlsx(
    client, figures, settings
):
    settings.LUTON_REWARD_POT = D("1400000")
    page = client.get(LAA_Q2).content.decode()
    assert "Reward grant" in page and "of £1,400,000 equally" in page
    # NI 156: 892 → 570, now 660: 232 ÷ 322 of its £50,000 (1/28 of the pot) = £36,024.84.
    assert "£36,025" in page
    workbook = load_workbook(io.BytesIO(client.get("/reports/laa-2008-11/2010-11-q2.xlsx").content))
    sheet = workbook["Reward grant"]
    headers = [cell.value for cell in sheet[2]]
    ni156 = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "NI 156")
    earned = ni156[headers.index("Earned on the latest figure (£)")]
    assert (D(str(earned.value)), earned.number_format) == (D("36024.84"), '"£"#,##0.00')
    assert ni156[headers.index("Improvement achieved")].value == 72.0
    assert "Reward grant" not in client.get("/reports/corporate-plan-2011-14/2010-11-q2/").content.decode()


def test_without_a_pot_the_reward_grant_is_in_shares_of_the_pot(client, figures, settings):
    settings.LUTON_REWARD_POT = None
    page = client.get(LAA_Q2).content.decode()
    assert "The pot is not set" in page
    assert "3.57% of the pot" in page  # 1/28


def test_an_audiences_downloads_are_its_own(client, figures):
    page = client.get(LAA_Q2 + "?audience=forum").content.decode()
    assert 'href="/reports/laa-2008-11/2010-11-q2.csv?audience=forum"' in page
    assert "Performance report for Luton Forum, 2010/11 Q2" in page and "Lead partner" in page
    response = client.get("/reports/laa-2008-11/2010-11-q2.csv?audience=forum")
    assert response["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-q2-forum.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    ni156 = next(row for row in rows if row["code"] == "NI 156")
    assert (ni156["lead_partner"], ni156["designated"]) == ("Luton Borough Council", "yes")
    scrutiny = client.get("/reports/laa-2008-11/2010-11-q2/?audience=scrutiny").content.decode()
    assert "Remedial action</th>" in scrutiny and "Two more prevention officers from October." in scrutiny


@override_settings(LUTON_PAGE_CACHE=False)  # what rendering costs (anonymous visitors get the page cache)
def test_the_list_reads_a_fixed_number_of_queries_whatever_the_data(
    client, figures, approver, django_assert_num_queries, settings, tmp_path
):
    from tests.test_reports_issuing import store_issued_file

    client.get("/reports/")
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/reports/")
    for quarter in ("2008/09 Q1", "2008/09 Q2", "2008/09 Q3"):
        publish("NI 111", quarter, "100", by=approver)
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get("/reports/").content.decode()
    assert '<option value="2008-09-q1">2008/09 Q1</option>' in page
    settings.MEDIA_ROOT = tmp_path
    store_issued_file()
    with django_assert_num_queries(LIST_QUERIES + 1):  # and their files, once a pack is issued
        client.get("/reports/")
    store_issued_file()
    with django_assert_num_queries(LIST_QUERIES + 1):
        page = client.get("/reports/").content.decode()
    assert page.count(">Luton Forum, ") == 2  # each issued pack's heading


LIST_QUERIES = 3  # the plans, the quarters with approved figures, the packs issued to meetings
