"""The covenant's view of its members' progress: figures over the members, each built from at
least three of them or not shown (DESIGN.md, rule 2: the covenant sees aggregates only, never a
figure from fewer than three members).

Pure: per-member facts in, figures out, with the reason a figure is withheld; no database and no
clock. `covenant_facts.py` reads the facts. A count is built from the members that have any of
it: a total of two members' grievances is withheld even in a covenant of ten, since either could
read the other's number from it. A share is built from every member, so it needs three members.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stonebridge.engagement.collective import MIN_MEMBERS

FEWER_THAN_THREE = _(
    "Not shown: fewer than three members stand behind this figure, so one member's own "
    "figures could be read from it."
)


@dataclass(frozen=True)
class MemberFacts:
    """What one member's records say, as counts; never shown on their own."""

    mapped_to_quarry: bool = False
    priority_risks: dict[str, int] = field(default_factory=dict)  # by salient issue's code
    plans_open: int = 0
    plans_improving: int = 0
    grievances_open: int = 0
    grievances_closed: int = 0
    remedies_open: int = 0
    remedies_done: int = 0


@dataclass(frozen=True)
class Figure:
    label: str | Promise
    value: int | None  # None: withheld; a share is in whole per cent
    members: int  # how many members it is built from
    reason: str | Promise = ""
    percent: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


def total(label: str | Promise, counts: Iterable[int]) -> Figure:
    """The sum over members, shown when none has any or at least three have some."""
    counts = list(counts)
    contributing = sum(1 for count in counts if count > 0)
    if 0 < contributing < MIN_MEMBERS:
        return Figure(label, None, contributing, FEWER_THAN_THREE)
    return Figure(label, sum(counts), contributing)


def share(label: str | Promise, holds: Sequence[bool]) -> Figure:
    """The share of members for whom it holds, in whole per cent, shown from three members."""
    if len(holds) < MIN_MEMBERS:
        return Figure(label, None, len(holds), FEWER_THAN_THREE, percent=True)
    return Figure(label, round(100 * sum(holds) / len(holds)), len(holds), percent=True)


@dataclass(frozen=True)
class Progress:
    members: int
    enough_members: bool
    chain: list[Figure]
    risks: list[Figure]  # one per salient issue
    plans: list[Figure]
    grievances: list[Figure]


def progress(facts: Sequence[MemberFacts], issues: Sequence[tuple[str, str]]) -> Progress:
    """Every figure of the covenant's view; `issues` are the salient issues' (code, name)."""
    return Progress(
        members=len(facts),
        enough_members=len(facts) >= MIN_MEMBERS,
        chain=[
            share(
                _("Members whose chain is mapped down to a quarry"),
                [f.mapped_to_quarry for f in facts],
            )
        ],
        risks=[
            total(name, (f.priority_risks.get(code, 0) for f in facts)) for code, name in issues
        ],
        plans=[
            total(_("Improvement plans open"), (f.plans_open for f in facts)),
            total(
                _("Open plans whose outcome indicators improved"),
                (f.plans_improving for f in facts),
            ),
        ],
        grievances=[
            total(_("Grievances open"), (f.grievances_open for f in facts)),
            total(_("Grievances closed"), (f.grievances_closed for f in facts)),
            total(_("Remedies under way"), (f.remedies_open for f in facts)),
            total(_("Remedies done"), (f.remedies_done for f in facts)),
        ],
    )


def participants_figure(count: int, named: int) -> Figure:
    """How many members take part in one joint action, as the secretariat sees it: from three.
    Not below, even when every participant agreed to be named: beside the names of those who
    agreed, a count shown only then would give away, by its absence, one more member that did
    not agree (one name and no count: exactly two take part)."""
    if count < MIN_MEMBERS:
        return Figure(_("Members taking part"), None, count, FEWER_THAN_THREE)
    return Figure(_("Members taking part"), count, count)
