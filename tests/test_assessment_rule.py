import pytest

from plans.assessment import overall_score


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (
            [2, 3, 3, 2, 3],
            3,
        ),  # Luton, March 2008: Ambition 2, Prioritisation 3, Capacity 3, PM 2, Achievement 3
        ([4, 4, 3, 3, 3], 4),
        ([4, 4, 3, 3, 2], 3),  # two 4s but one theme below 3
        ([4, 3, 3, 3, 3], 3),  # only one 4
        ([3, 3, 3, 1, 4], 2),  # a 1 rules out 3; three or more at 2+
        ([2, 2, 2, 1, 1], 2),
        ([2, 2, 1, 1, 1], 1),
        ([1, 1, 1, 1, 1], 1),
    ],
)
def test_overall_score_follows_the_printed_rules(scores, expected):
    assert overall_score(scores) == expected


@pytest.mark.parametrize("scores", [[3, 3, 3, 3], [3, 3, 3, 3, 5], [0, 2, 2, 2, 2]])
def test_scores_outside_the_scheme_are_refused(scores):
    with pytest.raises(ValueError, match=r"(?i)theme scores"):
        overall_score(scores)
