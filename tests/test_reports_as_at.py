"""Report packs as at a moment (issue 11): figures read from the audit history as they stood, the same after
later corrections; the figures revised since marked in every format; each risk's change in residual score
since the last quarter; a moment that cannot be read refused in words."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal as D
from urllib.parse import unquote

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.as_at import BadMoment, parse_moment, query_value, tables_as_at
from indicators.models import Return, ReturnStatus
from plans.models import Plan, Risk
from reports.models import IssuedPack
from reports.packs import build_pack
from tests.conftest import publish
from tests.test_reports import QUARTERS, QUERIES, SERIES, approver, change, laa, q2  # noqa: F401  (fixtures)

LAA_Q2 = "/reports/laa-2008-11/2010-11-q2"


@pytest.fixture
def figures(approver):  # noqa: F811
    for code, values in SERIES.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            publish(code, quarter, value, by=approver)


def correct(code: str, period: str, value: str, *, by) -> None:
    """An approved figure sent back for correction, corrected, and the correction approved."""
    change(Return.objects.filter(indicator__code=code, period__label=period), status=ReturnStatus.RETURNED)
    publish(code, period, value, by=by)


def article(page: str) -> str:
    """The pack itself, as the page and the PDF draw it (without the page's download links)."""
    return re.search(r'<article class="luton-pack".*?</article>', page, re.DOTALL).group(0)


def cells(content: bytes) -> dict[tuple[str, str], object]:
    workbook = load_workbook(io.BytesIO(content))
    return {(sheet.title, cell.coordinate): cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}


def csv_rows(content: bytes) -> dict[str, dict]:
    return {row["code"]: row for row in csv.DictReader(io.StringIO(content.decode())) if row["code"]}


def test_a_pack_regenerated_as_at_its_moment_is_identical_after_a_correction_and_a_new_pack_marks_it(
    client, figures, approver  # noqa: F811
):
    page = client.get(LAA_Q2 + "/").content.decode()
    first_csv, first_xlsx = client.get(LAA_Q2 + ".csv").content, client.get(LAA_Q2 + ".xlsx").content
    moment = re.search(r'href="/reports/laa-2008-11/2010-11-q2/\?as_at=([^"]+)">This pack as at', page).group(1)

    correct("NI 156", "2010/11 Q2", "650", by=approver)

    assert ">650<" in article(client.get(LAA_Q2 + "/").content.decode())  # now: the correction
    again = client.get(f"{LAA_Q2}/?as_at={moment}").content.decode()
    assert article(again) == article(page)  # every figure, status, forecast and note as first generated
    assert ">660<" in article(again) and "Figures as at" in again
    assert client.get(f"{LAA_Q2}.csv?as_at={moment}").content == first_csv
    regenerated = cells(client.get(f"{LAA_Q2}.xlsx?as_at={moment}").content)
    first = cells(first_xlsx)
    moment_cell = ("Cover", "B5")  # figures as at: the first workbook was made a moment after the page
    stated = timezone.localtime(dt.datetime.fromisoformat(unquote(moment))).replace(tzinfo=None)
    assert abs(regenerated.pop(moment_cell) - stated) < dt.timedelta(seconds=1)
    first.pop(moment_cell)
    assert regenerated == first

    # A new pack, compared with that moment, marks the revision beside the figure and in the data notes.
    marked = client.get(f"{LAA_Q2}/?revised_since={moment}").content.decode()
    assert "1 figure revised since" in marked
    assert '650<br><strong class="luton-pack__revised">Revised</strong> <span class="govuk-body-s">(was 660)' in marked
    assert "was 660, now 650; revised since" in marked  # the data notes
    rows = csv_rows(client.get(f"{LAA_Q2}.csv?revised_since={moment}").content)
    assert rows["NI 156"]["revised"] == "2010/11 Q2: was 660, now 650"
    assert rows["NI 16"]["revised"] == ""
    workbook = load_workbook(io.BytesIO(client.get(f"{LAA_Q2}.xlsx?revised_since={moment}").content))
    sheet = workbook["Indicators"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[-1].startswith("Revised since ")
    ni156 = next(row for row in sheet.iter_rows(min_row=3) if row[1].value == "NI 156")
    assert ni156[-1].value == "2010/11 Q2: was 660, now 650"
    assert ni156[headers.index("2010/11 Q2")].value == 650  # the figure itself stays a number
    notes = [[cell.value for cell in row] for row in workbook["Data notes"].iter_rows(min_row=3)]
    assert [notes[-1][0], notes[-1][3]] == ["NI 156", "Revised"]
    # Without a moment to compare with (nothing issued yet), nothing is marked.
    assert "(was 660)" not in client.get(LAA_Q2 + "/").content.decode()


def test_a_pack_as_at_a_moment_reads_as_many_queries_as_one_as_at_now(
    figures, approver, laa, q2, django_assert_num_queries  # noqa: F811
):
    before = timezone.now()
    build_pack(laa, q2, as_at=before)  # warm
    with django_assert_num_queries(QUERIES):
        first = build_pack(laa, q2, as_at=before)
    for code in ("NI 111", "NI 19", "NI 30"):
        for quarter in QUARTERS:
            publish(code, quarter, "100", by=approver)
    after = timezone.now()
    with django_assert_num_queries(QUERIES):
        later = build_pack(laa, q2, as_at=after)
    with django_assert_num_queries(QUERIES + 1):  # and the figures as they stood then
        compared = build_pack(laa, q2, revised_since=before)
    codes = {row.indicator.code: row for row in later.rows}
    assert codes["NI 111"].parts[0].quarters == [D("100")] * 4
    assert [row.parts[0].quarters for row in first.rows if row.indicator.code == "NI 111"] == [[None] * 4]
    assert compared.revisions == []  # figures shown for the first time are new, not revised


def test_the_past_is_read_only(figures):
    with tables_as_at(timezone.now()), pytest.raises(RuntimeError, match="nothing may be written"):
        change(Return.objects.filter(indicator__code="NI 16")[:1], commentary="Rewriting history")


def test_risks_show_the_change_in_residual_score_since_the_last_quarters_issued_pack(approver, q2):  # noqa: F811
    plan = Plan.objects.get(slug="corporate-plan-2011-14")  # the plan whose register gives residual scores
    raised, kept = Risk.objects.filter(plan=plan, residual_score__lte=20).order_by("order")[:2]
    score = raised.residual_score
    # Without a pack issued for the last quarter: the register at its end, before the portal's records.
    pack = build_pack(plan, q2)
    assert pack.risk_since.words == "the end of 2010/11 Q1 (30 June 2010)"
    assert {change for _, _, change in pack.risk_rows} == {"No earlier record"}

    issued_at = timezone.now()
    IssuedPack.objects.create(
        plan=plan, period=pack.quarters[-2], audience="executive", meeting="Executive",
        meeting_date=timezone.localdate(), issued_at=issued_at, issued_by=approver, issued_by_name="Report Approver",
    )
    raised.residual_score = score + 4
    raised.save()

    pack = build_pack(plan, q2)
    assert pack.risk_since.words.startswith("the pack issued to Executive on ")
    changes = {risk.pk: change for risk, _, change in pack.risk_rows}
    assert (changes[raised.pk], changes[kept.pk]) == (f"Up 4 (from {score})", "No change")
    workbook = load_workbook(io.BytesIO(_xlsx(pack)))
    sheet = workbook["Risks"]
    headers = [cell.value for cell in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == raised.title)
    assert row[headers.index(f"Residual change since {pack.risk_since.words}")].value == 4
    # As at the moment of that pack, the register is as it stood then.
    then = build_pack(plan, q2, as_at=issued_at)
    assert {risk.pk: risk.residual_score for risk in then.risks}[raised.pk] == score


def _xlsx(pack) -> bytes:
    from reports.formats import xlsx_bytes

    return xlsx_bytes(pack)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("as_at=yesterday", "as_at='yesterday' is not a date and time. Give one such as as_at=2010-11-15T09:30"),
        ("as_at=2010-11-15", "as_at='2010-11-15' is a date alone: give the time too"),
        ("as_at=2010-13-01T09:30", "as_at='2010-13-01T09:30' is not a real date and time."),
        ("as_at=2010-11-15T09:30:00+01:00".replace("+", " "), "A '+' in a web address must be written %2B"),
        ("as_at=2999-01-01T00:00Z", "is in the future: figures can only be read as they stood at a moment passed"),
        ("as_at=1990-01-01T00:00Z", "is before anything the portal recorded (records begin at "),
        ("revised_since=2999-01-01T00:00", "revised_since='2999-01-01T00:00' is in the future"),
        ("as_at={now}&revised_since={now}", "is not before the pack's own moment (as_at, "),
    ],
)
@pytest.mark.parametrize("fmt", ["/", ".csv"])
def test_a_moment_that_cannot_be_read_is_refused_saying_why(client, db, query, words, fmt):
    response = client.get(f"{LAA_Q2}{fmt}?{query.format(now=query_value(timezone.now()))}")
    assert response.status_code == 400
    assert words in response.content.decode()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.datetimes(timezones=st.one_of(st.none(), st.timezones())).map(lambda moment: moment.isoformat()),
    )
)
def test_any_text_is_a_moment_passed_or_refused_in_words(text):
    try:
        moment = parse_moment(text, name="as_at")
    except BadMoment as refused:
        assert str(refused).startswith("as_at=")
    else:
        assert moment.tzinfo is not None and moment <= timezone.now()
