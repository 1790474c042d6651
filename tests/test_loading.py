"""The loader: idempotent, all-or-nothing, and precise about what is wrong in a fixture."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import snapshot


@pytest.mark.django_db
def test_loading_twice_changes_no_row_of_any_table():
    before = snapshot()
    assert len(before["plans.Plan"]) == 5
    assert len(before["indicators.HistoricalTarget"]) == len(before["indicators.Target"])

    call_command("load_luton", verbosity=0)

    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} changed on the second load"


@pytest.fixture
def broken_fixtures(tmp_path, fixtures_dir):
    copy = tmp_path / "fixtures"
    shutil.copytree(fixtures_dir, copy)
    return copy


def _replace(path, old, new):
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "plans/laa-2008-11.yaml",
            '{period: "2009/10", text: "33.37 (6,235 offences)"',
            '{period: "2009/2010", text: "33.37 (6,235 offences)"',
            "laa-2008-11.yaml: indicators[5] (NI 16).targets[1]: unknown period '2009/2010'",
        ),
        (
            "plans/laa-2008-11.yaml",
            'value: "33.37"',
            'value: "thirty-three"',
            "indicators[5] (NI 16).targets[1].value: 'thirty-three' is not a number",
        ),
        (
            "plans/laa-2008-11.yaml",
            'partners: "LBC*, NHS Luton"',
            'partners: "LBC, NHS Luton"',
            "NI 135 partners: expected exactly one lead partner",
        ),
        (
            "plans/laa-2008-11.yaml",
            'code: "NI 16"\n',
            'code: "NI sixteen"\n',
            "printed code '*NI 016' does not normalise to NI sixteen",
        ),
        (
            "plans/corporate-plan-2011-14.yaml",
            "initial_score: 8",
            "initial_score: eight",
            "corporate-plan-2011-14.yaml: risks[0].initial_score: 'eight' is not a whole number",
        ),
        (
            "partners.yaml",
            'aliases: ["VAL"]',
            'aliases: ["V.A.L."]',
            "'VAL' matches no partner alias in partners.yaml",
        ),
        (
            "plans/corporate-plan-2008-14.yaml",
            'scorecard_domain: "Capacity to Improve"',
            'scorecard_domain: "Capacity to improve"',
            "corporate-plan-2008-14.yaml: plan_indicators[7]: scorecard_domain 'Capacity to improve' is not among "
            "this plan's scorecard_domains",
        ),
        (
            "plans/corporate-plan-2011-14.yaml",
            "  order: 3",
            "  order: 2",
            "plan.order 2 is also corporate-plan-2008-14's",
        ),
        (
            "plans/laa-2008-11.yaml",
            "  order: 1",
            "  order: 5",
            "laa-2008-11.yaml: an agreement must have a lower plan.order than corporate-plan-2008-14",
        ),
        (
            "plans/sustainable-community-strategy.yaml",
            "  order: 0",
            "  order: 9",
            "laa-2008-11.yaml: serves 'luton-sustainable-community-strategy', which must be a plan with a lower",
        ),
    ],
)
def test_a_bad_fixture_is_refused_whole_with_its_location(broken_fixtures, file, old, new, message):
    _replace(broken_fixtures / file, old, new)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        call_command("load_luton", fixtures=str(broken_fixtures), verbosity=0)

    assert message in str(error.value)
    assert str(error.value).startswith("Nothing was loaded")
    assert snapshot() == before


@pytest.mark.django_db
def test_a_new_plan_file_is_loaded_without_code_changes(broken_fixtures):
    """Plan files are discovered in fixtures/plans/, not listed in code."""
    from plans.models import Plan

    (broken_fixtures / "plans/service-plans-2025.yaml").write_text(
        "plan:\n"
        "  slug: service-plans-2025\n"
        "  order: 5\n"
        '  title: "Service Plans 2025"\n'
        "  kind: service_plans\n"
        "  start: 2025-04-01\n"
        "  end: 2026-03-31\n",
        encoding="utf-8",
    )

    call_command("load_luton", fixtures=str(broken_fixtures), verbosity=0)

    assert list(Plan.objects.order_by("order").values_list("slug", flat=True))[-2:] == [
        "service-plans-2024",
        "service-plans-2025",
    ]


@pytest.mark.django_db
def test_a_fixture_edit_is_applied_and_only_that_row_changes(broken_fixtures):
    from indicators.models import Target

    _replace(
        broken_fixtures / "plans/laa-2008-11.yaml",
        'text: "31.10 (5,810 offences)", value: "31.10"',
        'text: "31.00 (5,800 offences)", value: "31.00"',
    )
    target = Target.objects.get(indicator__code="NI 16", period__label="2010/11")
    history_before = target.history.count()

    call_command("load_luton", fixtures=str(broken_fixtures), verbosity=0)

    target.refresh_from_db()
    assert (target.text, str(target.value)) == ("31.00 (5,800 offences)", "31.0000")
    assert target.history.count() == history_before + 1
    assert target.history.first().history_type == "~"
