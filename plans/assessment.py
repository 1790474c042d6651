"""The Audit Commission's rule for the overall corporate assessment score (CPA 2005-2008).

Printed in the 2008 report as:

    Two or more themes with a score of 4, none less than 3   -> 4
    Three or more themes with a score of 3 or more, none less than 2 -> 3
    Three or more themes with a score of 2 or more           -> 2
    Any other combination                                    -> 1

The rules are tried in that order; the first that holds gives the overall score.
"""

from collections.abc import Sequence

THEME_COUNT = 5


def overall_score(theme_scores: Sequence[int]) -> int:
    """The overall score (1-4) that the printed rules give for the five theme scores."""
    if len(theme_scores) != THEME_COUNT:
        raise ValueError(f"A corporate assessment has {THEME_COUNT} theme scores, not {len(theme_scores)}.")
    if any(score not in (1, 2, 3, 4) for score in theme_scores):
        raise ValueError(f"Theme scores run from 1 to 4: {list(theme_scores)}.")
    lowest = min(theme_scores)
    if sum(score == 4 for score in theme_scores) >= 2 and lowest >= 3:
        return 4
    if sum(score >= 3 for score in theme_scores) >= 3 and lowest >= 2:
        return 3
    if sum(score >= 2 for score in theme_scores) >= 3:
        return 2
    return 1
