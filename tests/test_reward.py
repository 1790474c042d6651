"""The LAA's Performance Reward Grant (indicators/reward.py): pure rules with hand-worked examples.

A pot of £1,400,000 among 28 designated targets puts £50,000 on each."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_pounds
from indicators.reward import PartFigures, RewardRules, improvement_achieved, reward, share_paid

RULES = RewardRules(pot=D("1400000"))


def one_of_28(*parts: PartFigures, rules: RewardRules = RULES):
    """The first of 28 designated targets (the other 27 have no figures yet)."""
    others = [(f"other {n}", [PartFigures(None, D(1), D(2))]) for n in range(27)]
    assessed = reward([("assessed", list(parts)), *others], rules=rules)
    return assessed, assessed.targets[0]


@pytest.mark.parametrize(
    ("baseline", "target", "figure", "achieved"),
    [
        ("892", "570", "660", D(232) / D(322)),  # fewer is better: 232 of the 322 fewer households, 72%
        ("0", "10", "6", D("0.6")),
        ("100", "120", "95", D("-0.25")),  # moved away from the target
        ("37.93", "31.10", "30.7", D("7.23") / D("6.83")),  # beyond the target: 106%
        ("5", "5", "6", None),  # no improvement asked for
        ("5", None, "6", None),  # a target in words
    ],
)
def test_the_improvement_achieved_is_the_share_of_the_way_from_baseline_to_target(baseline, target, figure, achieved):
    as_decimal = [None if v is None else D(v) for v in (baseline, target, figure)]
    assert improvement_achieved(*as_decimal) == achieved


@pytest.mark.parametrize(
    ("achieved", "paid"),
    [(None, D(0)), (D("0.5999"), D(0)), (D("0.6"), D("0.6")), (D("0.75"), D("0.75")), (D("1.2"), D(1)), (D(-1), D(0))],
)
def test_nothing_is_paid_below_sixty_percent_and_no_more_than_all_of_the_stake(achieved, paid):
    assert share_paid(achieved, rules=RULES) == paid


def test_a_target_earns_its_stake_times_the_improvement_achieved():
    # NI 156: baseline 892, target 570 (fewer is better), 660 now: 232 ÷ 322 = 72.05% of £50,000 = £36,024.84.
    # Its forecast, 700: 192 ÷ 322 = 59.6%, below the threshold: nothing.
    whole, ni156 = one_of_28(PartFigures(None, D(892), D(570), latest=D(660), forecast=D(700)))
    assert RULES.amount(ni156.stake) == D("50000.00")
    assert RULES.amount(ni156.earned_latest) == D("36024.84")
    assert ni156.earned_forecast == 0
    assert RULES.amount(whole.stake) == D("1400000.00")
    assert RULES.amount(whole.earned_latest) == D("36024.84")  # the others have no figure yet
    assert whole.not_assessed == 27


def test_beyond_the_target_earns_the_whole_stake_and_no_more():
    _, ni16 = one_of_28(PartFigures(None, D("37.93"), D("31.10"), latest=D("30.7")))
    assert RULES.amount(ni16.earned_latest) == D("50000.00")


def test_a_split_target_shares_its_stake_among_its_parts_each_judged_its_own_way():
    # NI 120 by sex: £25,000 a part. Men 791 → 730, now 750: 41 ÷ 61 = 67.2% → £16,803.28.
    # Women 561 → 560, now 565: moved away, nothing.
    _, ni120 = one_of_28(
        PartFigures("male", D(791), D(730), latest=D(750)), PartFigures("female", D(561), D(560), latest=D(565))
    )
    male, female = ni120.parts
    assert (RULES.amount(male.stake), RULES.amount(female.stake)) == (D("25000.00"), D("25000.00"))
    assert RULES.amount(male.earned_latest) == D("16803.28")
    assert female.earned_latest == 0
    assert RULES.amount(ni120.earned_latest) == D("16803.28")


def test_bands_in_opposite_directions_need_no_polarity_the_target_says_which_way():
    # Fewer people in homes below SAP 35: 20% → 15%, now 17%: 3 ÷ 5 = 60%, just paid.
    # More at SAP 65 and above: 10% → 14%, now 13%: 3 ÷ 4 = 75%.
    _, bands = one_of_28(
        PartFigures("SAP below 35", D(20), D(15), latest=D(17)), PartFigures("SAP 65 & above", D(10), D(14), latest=D(13))
    )
    below, above = bands.parts
    assert (below.achieved_latest, above.achieved_latest) == (D("0.6"), D("0.75"))
    assert RULES.amount(bands.earned_latest) == D("15000.00") + D("18750.00")


def test_a_target_in_words_cannot_be_assessed_and_says_why():
    # NI 7: "A measurable improvement, calculated in accordance with published OTS guidance ..."
    whole, ni7 = one_of_28(PartFigures(None, D("18.7"), None, latest=D("25")))
    assert ni7.earned_latest is None and ni7.earned_forecast is None
    assert ni7.parts[0].reason == "The target is in words, not a number."
    assert whole.earned_latest == 0
    assert RULES.amount(ni7.stake) == D("50000.00")  # still at stake: the pot is shared among every target


def test_the_threshold_and_cap_are_settings_and_without_a_pot_there_are_only_shares():
    lenient = RewardRules(pot=None, threshold=D("0.5"), cap=D("1"))
    _, forecast_only = one_of_28(PartFigures(None, D(892), D(570), latest=D(700), forecast=D(700)), rules=lenient)
    assert forecast_only.earned_latest == forecast_only.stake * D(192) / D(322)  # 59.6% is paid at a 50% threshold
    assert lenient.amount(forecast_only.earned_latest) is None
    assert reward([], rules=RULES).stake == 0


@pytest.mark.parametrize(
    ("raw", "amount"), [("1400000", D("1400000")), ("£1,400,000", D("1400000")), ("", None), (None, None)]
)
def test_the_pot_is_read_from_the_environment_as_money(monkeypatch, raw, amount):
    if raw is None:
        monkeypatch.delenv("LUTON_REWARD_POT", raising=False)
    else:
        monkeypatch.setenv("LUTON_REWARD_POT", raw)
    assert env_pounds("LUTON_REWARD_POT") == amount


@pytest.mark.parametrize("raw", ["1,4", "lots", "-5"])
def test_a_malformed_pot_stops_the_portal_with_a_message(monkeypatch, raw):
    monkeypatch.setenv("LUTON_REWARD_POT", raw)
    with pytest.raises(ImproperlyConfigured, match="LUTON_REWARD_POT"):
        env_pounds("LUTON_REWARD_POT")
