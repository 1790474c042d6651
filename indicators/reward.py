"""The LAA's Performance Reward Grant: pure rules, no database. Explained in docs/status-rules.md.

Under the published rules (as in the Local Public Service Agreement schedules that LAA reward followed)
the potential grant is divided equally among the designated targets, and a split target's share equally
among its parts. Each part earns the proportion of its targeted improvement (from baseline to target)
that is achieved: nothing below the threshold (60%), at most the cap (100%). The documents do not state
Luton's pot, so the pot, the threshold and the cap are settings (LUTON_REWARD_*).

All amounts here are fractions of the pot (Decimal); `RewardRules.amount` turns one into pounds when
the pot is set.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class RewardRules:
    pot: Decimal | None  # pounds; None while the council has not set it
    threshold: Decimal = Decimal("0.6")
    cap: Decimal = Decimal("1")

    def amount(self, share: Decimal | None) -> Decimal | None:
        """A fraction of the pot in pounds, to the penny (None without a pot or a share)."""
        if share is None or self.pot is None:
            return None
        return (self.pot * share).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PartFigures:
    """What one part of a designated target is assessed on."""

    name: str | None  # None for a target that is not split
    baseline: Decimal | None
    target: Decimal | None  # None for a target in words
    latest: Decimal | None = None
    forecast: Decimal | None = None


@dataclass(frozen=True)
class PartReward:
    name: str | None
    stake: Decimal  # fraction of the pot
    achieved_latest: Decimal | None  # proportion of the targeted improvement achieved
    earned_latest: Decimal | None  # fraction of the pot; None when it cannot be worked out
    achieved_forecast: Decimal | None
    earned_forecast: Decimal | None
    reason: str = ""  # why it cannot be worked out


@dataclass(frozen=True)
class TargetReward:
    key: str
    stake: Decimal
    parts: tuple[PartReward, ...]

    @property
    def earned_latest(self) -> Decimal | None:
        return _total([p.earned_latest for p in self.parts])

    @property
    def earned_forecast(self) -> Decimal | None:
        return _total([p.earned_forecast for p in self.parts])


@dataclass(frozen=True)
class Reward:
    rules: RewardRules
    targets: tuple[TargetReward, ...] = field(default_factory=tuple)

    @property
    def stake(self) -> Decimal:
        """The whole pot is at stake whenever a target is designated."""
        return Decimal(1) if self.targets else Decimal(0)

    @property
    def earned_latest(self) -> Decimal:
        """What the targets that can be assessed earn on the latest figures (a fraction of the pot)."""
        return sum((t.earned_latest or Decimal(0) for t in self.targets), Decimal(0))

    @property
    def earned_forecast(self) -> Decimal:
        return sum((t.earned_forecast or Decimal(0) for t in self.targets), Decimal(0))

    @property
    def not_assessed(self) -> int:
        """Parts whose earnings on the latest figures cannot be worked out (a target in words, no figure)."""
        return sum(1 for t in self.targets for p in t.parts if p.earned_latest is None)


def improvement_achieved(baseline: Decimal | None, target: Decimal | None, figure: Decimal | None) -> Decimal | None:
    """The proportion of the targeted improvement achieved: (figure − baseline) ÷ (target − baseline).

    The sign of (target − baseline) carries the direction, so one rule serves targets that rise and
    targets that fall (and a split target's parts running opposite ways). Negative when the figure moved
    away from the target; None when any number is missing or the target asks for no change."""
    if baseline is None or target is None or figure is None or target == baseline:
        return None
    return (figure - baseline) / (target - baseline)


def share_paid(achieved: Decimal | None, *, rules: RewardRules) -> Decimal:
    """The share of a part's stake paid: nothing below the threshold, the proportion achieved up to the cap."""
    if achieved is None or achieved < rules.threshold:
        return Decimal(0)
    return min(achieved, rules.cap)


def _why_not(part: PartFigures) -> str:
    if part.target is None:
        return "The target is in words, not a number."
    if part.baseline is None:
        return "The baseline is not a number."
    if part.target == part.baseline:
        return "The target is the baseline: there is no improvement to measure."
    return ""


def reward(targets: Sequence[tuple[str, Sequence[PartFigures]]], *, rules: RewardRules) -> Reward:
    """Each designated target's stake (the pot ÷ the number of targets; ÷ its parts for a split one) and
    what it earns on the latest figures and on the forecast, as fractions of the pot."""
    if not targets:
        return Reward(rules)
    stake = Decimal(1) / len(targets)
    assessed = []
    for key, parts in targets:
        part_stake = stake / len(parts)
        rewarded = []
        for part in parts:
            reason = _why_not(part)
            latest = improvement_achieved(part.baseline, part.target, part.latest)
            forecast = improvement_achieved(part.baseline, part.target, part.forecast)
            if not reason and part.latest is None:
                reason = "No figure yet."
            rewarded.append(
                PartReward(
                    name=part.name,
                    stake=part_stake,
                    achieved_latest=latest,
                    earned_latest=None if latest is None else part_stake * share_paid(latest, rules=rules),
                    achieved_forecast=forecast,
                    earned_forecast=None if forecast is None else part_stake * share_paid(forecast, rules=rules),
                    reason=reason,
                )
            )
        assessed.append(TargetReward(key=key, stake=stake, parts=tuple(rewarded)))
    return Reward(rules, tuple(assessed))


def _total(amounts: list[Decimal | None]) -> Decimal | None:
    """A target's earnings: the sum of its parts', or None when no part can be worked out."""
    known = [a for a in amounts if a is not None]
    return sum(known, Decimal(0)) if known else None
