"""Report packs by audience: which sections a committee reads, in which order, and how indicators are
grouped. One builder and one template serve them all (reports/packs.py, templates/reports/pack_body.html).

- Executive: the plan's priorities, exceptions first.
- Scrutiny (Overview and Scrutiny): indicators by directorate and department, with every commentary and
  remedial action in the full table.
- Luton Forum (the Local Strategic Partnership): the LAA by theme with each target's lead partner, its
  designated targets and the reward grant.
"""

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    EVERYONE = "all"
    EXECUTIVE = "executive"
    SCRUTINY = "scrutiny"
    FORUM = "forum"


@dataclass(frozen=True)
class Preset:
    label: str
    sections: tuple[str, ...]
    by_department: bool = False  # group by directorate and department rather than by priority
    lead_partners: bool = False  # name each target's lead partner
    remedial_action: bool = False  # the full table gives each remedial action beside its commentary


SECTIONS = {  # name: (the heading's id, its words)
    "summary": ("summary", "Summary"),
    "exceptions": ("exceptions", "Exceptions"),
    "reward": ("reward-grant", "Reward grant"),
    "indicators": ("indicators", "All indicators"),
    "actions": ("actions", "Actions"),
    "risks": ("risks", "Risks"),
    "notes": ("data-notes", "Data notes"),
    "how_to_read": ("how-to-read", "How to read this report"),
}

PRESETS = {
    Audience.EVERYONE: Preset("Everyone", tuple(SECTIONS)),
    Audience.EXECUTIVE: Preset(
        "Executive",
        ("exceptions", "summary", "reward", "indicators", "actions", "risks", "notes", "how_to_read"),
    ),
    Audience.SCRUTINY: Preset(
        "Overview and Scrutiny",
        ("summary", "exceptions", "indicators", "actions", "risks", "notes", "how_to_read"),
        by_department=True,
        remedial_action=True,
    ),
    Audience.FORUM: Preset(
        "Luton Forum",
        ("summary", "exceptions", "reward", "indicators", "notes", "how_to_read"),
        lead_partners=True,
    ),
}
