"""A risk register's heat maps, built from its risks without queries: initial and residual side by side,
each cell shaded by its band and labelled in words, each count a link to the risks it counts.

Where a register prints likelihood and impact, each stage is a likelihood × impact grid; where it prints
only scores (the Corporate Plan 2011-14), the grid is the scores in use, initial and residual counts side
by side. Bands come from indicators.status.risk_band, the one rule for them.
"""

from dataclasses import dataclass, field

from django.http import QueryDict

from indicators.status import RiskBand, risk_band, risk_scale
from plans.models import Risk

STAGES = {"initial": "initial", "residual": "residual"}


@dataclass
class Cell:
    """One square of a grid: which risks sit there, its band, and the query that lists them."""

    band: RiskBand
    risks: list[Risk] = field(default_factory=list)
    query: str = ""
    score: int | None = None

    @property
    def count(self) -> int:
        return len(self.risks)


@dataclass
class Grid:
    """A likelihood × impact grid of one stage: rows of likelihood (highest first), columns of impact."""

    stage: str
    likelihoods: list[int]
    impacts: list[int]
    rows: list[tuple[int, list[Cell]]]


@dataclass
class ScoreRow:
    """One score in use, with the risks at that score before controls (initial) and after (residual)."""

    score: int
    band: RiskBand
    initial: Cell
    residual: Cell


@dataclass
class Register:
    scale: int
    scored: list[Risk]
    unscored: list[Risk]
    grids: list[Grid]  # likelihood × impact, when every scored risk prints both for both stages
    score_rows: list[ScoreRow]  # otherwise: counts by score
    shown: list[Risk]  # the scored risks the chosen cell holds (all of them when none is chosen)
    chosen: str  # what the chosen cell is, in words ("" when none)


def _score(risk: Risk, stage: str) -> int | None:
    return getattr(risk, f"{stage}_score")


def _has_matrix(risk: Risk, stage: str) -> bool:
    return getattr(risk, f"{stage}_likelihood") is not None and getattr(risk, f"{stage}_impact") is not None


def _query(**params) -> str:
    query = QueryDict(mutable=True)
    query.update({key: str(value) for key, value in params.items()})
    return query.urlencode()


def build_register(risks: list[Risk], params: QueryDict) -> Register:
    """The register's grids, and the risks the cell named by `params` (stage, score or likelihood and
    impact) holds. Parameters that name no cell show every risk: a bad link is never an error."""
    scored = [r for r in risks if r.initial_score is not None or r.residual_score is not None]
    unscored = [r for r in risks if r not in scored]
    scale = risk_scale([s for r in scored for s in (r.initial_score, r.residual_score) if s])
    side = 3 if scale == 9 else 5
    matrix = bool(scored) and all(_has_matrix(r, stage) for r in scored for stage in STAGES)
    grids, score_rows = [], []
    if matrix:
        for stage in STAGES:
            rows = []
            for likelihood in range(side, 0, -1):
                cells = []
                for impact in range(1, side + 1):
                    cell = Cell(
                        band=risk_band(likelihood * impact, scale=scale),
                        query=_query(stage=stage, likelihood=likelihood, impact=impact),
                        score=likelihood * impact,
                    )
                    cell.risks = [
                        r
                        for r in scored
                        if getattr(r, f"{stage}_likelihood") == likelihood and getattr(r, f"{stage}_impact") == impact
                    ]
                    cells.append(cell)
                rows.append((likelihood, cells))
            grids.append(Grid(stage, list(range(side, 0, -1)), list(range(1, side + 1)), rows))
    else:
        scores = sorted({s for r in scored for s in (r.initial_score, r.residual_score) if s}, reverse=True)
        for score in scores:
            band = risk_band(score, scale=scale)
            cells = {
                stage: Cell(
                    band=band,
                    risks=[r for r in scored if _score(r, stage) == score],
                    query=_query(stage=stage, score=score),
                    score=score,
                )
                for stage in STAGES
            }
            score_rows.append(ScoreRow(score, band, cells["initial"], cells["residual"]))
    shown, chosen = _chosen(scored, params)
    return Register(scale, scored, unscored, grids, score_rows, shown, chosen)


def _number(params: QueryDict, key: str) -> int | None:
    value = params.get(key, "")
    return int(value) if value.isdigit() and len(value) < 3 else None


def _chosen(scored: list[Risk], params: QueryDict) -> tuple[list[Risk], str]:
    stage = STAGES.get(params.get("stage", ""))
    if stage is None:
        return scored, ""
    score, likelihood, impact = (_number(params, k) for k in ("score", "likelihood", "impact"))
    if likelihood is not None and impact is not None:
        shown = [
            r
            for r in scored
            if getattr(r, f"{stage}_likelihood") == likelihood and getattr(r, f"{stage}_impact") == impact
        ]
        article = "an" if stage == "initial" else "a"
        return shown, f"{article} {stage} likelihood of {likelihood} and impact of {impact}"
    if score is not None:
        article = "an" if stage == "initial" else "a"
        return [r for r in scored if _score(r, stage) == score], f"{article} {stage} score of {score}"
    return scored, ""
