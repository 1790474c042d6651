"""What the portal serves matches the printed source documents.

The expected values in tests/data/ were transcribed from the Local Area Agreement independently
of fixtures/ (by a second person, without sight of the fixtures), so a slip in either shows up
here. The comparison goes through the public API: what a resident would be told.
"""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@pytest.fixture(scope="module")
def laa_api(django_db_blocker):
    from django.test import Client

    # Module-scoped, so it runs before the per-test settings: ask over HTTPS as production would.
    with django_db_blocker.unblock():
        client = Client()
        indicators, url = [], "/api/v1/indicators/?plan=laa-2008-11&page_size=20"
        while url:
            body = client.get(url, secure=True).json()
            indicators.extend(body["results"])
            url = body["next"] and urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    return {indicator["code"]: indicator for indicator in indicators}


EXPECTED = _rows("laa-2008-11-targets.csv")
EXPECTED_CODES = sorted({row["code"] for row in EXPECTED}, key=lambda code: int(code.split()[1]))


def test_the_agreement_has_58_rows_13_local_and_10_statutory(laa_api):
    assert sorted(laa_api, key=lambda code: int(code.split()[1])) == EXPECTED_CODES
    assert len(laa_api) == 58


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_baseline_as_printed(laa_api, code):
    expected = [row for row in EXPECTED if row["code"] == code and row["kind"] == "baseline"]
    baseline = laa_api[code]["baseline"]
    if any(row["breakdown"] for row in expected):
        served = [(b["breakdown"], b["text"], _number(b["value"])) for b in baseline["breakdowns"]]
    else:
        served = [("", baseline["text"], _number(baseline["value"]))]
    assert served == [(row["breakdown"], row["text"], _number(row["value"])) for row in expected]


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_every_target_text_value_and_designation_as_printed(laa_api, code):
    expected = [
        (
            row["period"],
            row["breakdown"] or None,
            row["text"],
            _number(row["value"]),
            row["designated"] == "true",
        )
        for row in EXPECTED
        if row["code"] == code and row["kind"] == "target"
    ]
    served = [
        (t["period"], t["breakdown"], t["text"], _number(t["value"]), t["designated"]) for t in laa_api[code]["targets"]
    ]
    assert sorted(served, key=str) == sorted(expected, key=str)


PARTNERS = defaultdict(list)
for _row in _rows("laa-2008-11-partners.csv"):
    PARTNERS[_row["code"]].append((_row["name"], _row["lead"] == "true"))


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_partners_and_the_lead_partner_as_printed(laa_api, code):
    served = [(p["name"], p["lead"]) for p in laa_api[code]["partners"]]
    assert served == PARTNERS[code]
    assert sum(lead for _, lead in served) == 1


def test_ni_120_is_split_by_sex(laa_api):
    targets = {(t["period"], t["breakdown"]): (t["value"], t["designated"]) for t in laa_api["NI 120"]["targets"]}
    assert targets == {
        ("2008/09", "male"): (800, True),
        ("2008/09", "female"): (587, True),
        ("2009/10", "male"): (770, True),
        ("2009/10", "female"): (575, True),
        ("2010/11", "male"): (730, True),
        ("2010/11", "female"): (560, True),
    }


def test_ni_153_baseline_is_split_by_ward(laa_api):
    wards = {b["breakdown"]: _number(b["value"]) for b in laa_api["NI 153"]["baseline"]["breakdowns"]}
    assert wards == {"Biscot": Decimal("4.0"), "Dallow": Decimal("4.6"), "Northwell": Decimal("4.1")}


def test_ni_187_is_split_into_two_bands_that_run_opposite_ways(laa_api):
    from indicators.models import Breakdown

    targets = {(t["period"], t["breakdown"]): _number(t["value"]) for t in laa_api["NI 187"]["targets"]}
    assert targets == {
        ("2009/10", "SAP below 35"): Decimal("9.25"),
        ("2009/10", "SAP 65 & above"): Decimal("30.25"),
        ("2010/11", "SAP below 35"): Decimal("8.50"),
        ("2010/11", "SAP 65 & above"): Decimal("31.25"),
    }
    polarity = dict(Breakdown.objects.filter(indicator__code="NI 187").values_list("name", "polarity"))
    assert polarity == {"SAP below 35": "lower", "SAP 65 & above": "higher"}


# Appendix C of the Corporate Plan 2011-2014: (title as printed, initial score, residual score).
RISKS_2011_14 = [
    ("Council’s reputation locally and reputation of Luton", 8, 6),
    ("Significant project failure", 9, 6),
    (
        "Staff performance - overload/stress at a time when the Council needs to reduce budgets "
        "significantly, which is likely to impact on staffing numbers",
        9,
        6,
    ),
    ("Major Luton emergency including potential social unrest", 9, 6),
    (
        "Failure to keep to approved budget, particularly in relation to demand-led services, new "
        "requirements, savings targets, loss of income and grants",
        9,
        6,
    ),
    ("Decrease in volume of airport traffic or closure resulting in reduction of key income stream", 9, 6),
    ("Loss or failure of key supplier, provider or partner", 8, 5),
    (
        "Failure/cessation of joint arrangements, pooled budgets and third party agreements, or partnership working",
        8,
        3,
    ),
    (
        "Loss or collapse of key IT application/hardware or data corruption, or unauthorised access "
        "to personal data on Council systems",
        8,
        6,
    ),
    ("Treasury management", 8, 3),
    ("Uninsurable loss: for example, pollution or terrorist attack", 6, 6),
    ("Climate change and environmental, social and financial risks arising.", 9, 8),
    ("Serious breach of health and safety legislation", 6, 6),
    ("Change management", 5, 5),
]


def test_the_14_risks_of_2011_14_with_their_scores(client):
    risks = client.get("/api/v1/risks/?plan=corporate-plan-2011-14").json()["results"]

    assert [(r["title"], r["initial_score"], r["residual_score"]) for r in risks] == RISKS_2011_14
    assert all(r["controls"] for r in risks)


def test_corporate_assessment_scores_and_the_rule_that_derives_the_overall_score():
    from plans.models import Assessment

    assessment = Assessment.objects.get(slug="corporate-assessment-2008")
    themes = {t.theme: t.score for t in assessment.themes.all()}
    assert themes == {
        "Ambition": 2,
        "Prioritisation": 3,
        "Capacity": 3,
        "Performance management": 2,
        "Achievement": 3,
    }
    assert assessment.overall_score == assessment.derived_overall_score == 3
