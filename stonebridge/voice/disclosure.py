"""What a survey's owner may see of workers' answers: predefined tables in which no published
number rests on fewer than five answers and no hidden number can be worked out from the others.

Pure: counts in, tables out; nothing here reads the database.

Tables. For every filter (below) there is a one-way table per question (how many picked each
answer, and the total) and a two-way table per question and respondent group (answer × job type,
answer × years worked, with row and column totals). A count of workers is a *cell*, named by the
filter and by the answers it counts: `()` is every respondent, `(("seven_days", "yes"),)` those
who picked "yes", `(("seven_days", "yes"), ("job_type", "cutting"))` those who did both. A row
total of a two-way table is the same cell as the one-way count, so it is hidden in both or in
neither.

Filters, on a fixed hierarchy. Scope: all of the owner's facilities → one facility → one survey
there. Period: the whole time → one month (a survey's months are those it was open; months it was
not open are not tables, since everyone knows they are empty). Every pair (scope, period) is a
filter, and each filter's table is published. Nothing else is: no free date range, no
hand-picked set of facilities, so the only ways to combine tables are the sums below.

Equations a reader knows. Within a filter: a total is the sum of its answers (every respondent
answers every question); a row total is the sum of its row and a column total the sum of its
column. Across filters, for every cell: all facilities = the sum of the facilities; a facility =
the sum of its surveys; the whole time = the sum of its months. The differencing attack
("all facilities minus the published facility tables", "a period minus its months") is just one
of these equations.

Rule. 1) Hide every cell with 1 to MIN_CELL - 1 answers. A zero is shown: it names nobody.
2) Then, until nothing changes, look at each equation, total and parts together: if exactly one
of its cells is hidden, also hide the smallest shown cell of it that is not zero (a part before
the total); if its total is shown and the hidden parts add up to fewer than MIN_CELL, also hide
the smallest shown part, since a small known sum would bound each hidden cell to a few answers.

Because all filters are protected together, the same cell is hidden the same way in every table
it appears in, and every equation ends with no hidden cell or at least two, so a reader
solving the equations one unknown at a time, within or across tables, learns no hidden cell.

Known limits. A hidden cell could in rare patterns still be fixed by solving many equations at
once (an elimination that needs no single-unknown step); and tables published before a new survey
closed can be compared with those after (results appear only for closed surveys, which keeps
such changes rare and large).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# StoneBridge default: the fewest answers a published number may rest on.
MIN_CELL = 5
ALL = "all"

Condition = tuple[str, str]  # (question name, choice name)
Key = tuple[Condition, ...]  # () = every respondent; one condition; or (answer, group)
Node = tuple[str, str]  # (scope, period): ("all" | "facility:3" | "survey:7", "all" | "2026-03")
Cell = tuple[Node, Key]


@dataclass(frozen=True)
class Reply:
    """One response as the tables see it."""

    survey: int
    period: str  # "2026-03"
    answers: Mapping[str, str]


@dataclass(frozen=True)
class Place:
    """Where and when a survey ran: its facility and the months it was open."""

    facility: int
    months: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """The questions (name → choice names, in order) and the respondent groups."""

    questions: Mapping[str, Sequence[str]]
    groups: Mapping[str, Sequence[str]]

    def all_questions(self) -> dict[str, Sequence[str]]:
        return {**self.questions, **self.groups}


def facility_scope(facility_id: int) -> str:
    return f"facility:{facility_id}"


def survey_scope(survey_id: int) -> str:
    return f"survey:{survey_id}"


# --- the hierarchy ------------------------------------------------------------------------------


def scope_months(places: Mapping[int, Place]) -> dict[str, tuple[str, ...]]:
    """Every scope of the hierarchy and its months."""
    months: dict[str, set[str]] = defaultdict(set)
    for survey_id, place in places.items():
        for scope in (ALL, facility_scope(place.facility), survey_scope(survey_id)):
            months[scope].update(place.months)
    return {scope: tuple(sorted(found)) for scope, found in months.items()}


def nodes(places: Mapping[int, Place]) -> list[Node]:
    """Every filter that is published."""
    found: list[Node] = []
    for scope, months in sorted(scope_months(places).items()):
        found.append((scope, ALL))
        found.extend((scope, month) for month in months)
    return found


def keys(layout: Layout) -> list[Key]:
    found: list[Key] = [()]
    for question, choices in layout.all_questions().items():
        found.extend(((question, choice),) for choice in choices)
    for question, choices in layout.questions.items():
        for group, members in layout.groups.items():
            found.extend(((question, c), (group, m)) for c in choices for m in members)
    return found


def equations(layout: Layout, places: Mapping[int, Place]) -> list[tuple[Cell, list[Cell]]]:
    """(total, parts) for every sum a reader of the tables knows."""
    found: list[tuple[Cell, list[Cell]]] = []
    if not places:
        return found
    every = nodes(places)
    for node in every:
        for question, choices in layout.all_questions().items():
            found.append(((node, ()), [(node, ((question, c),)) for c in choices]))
        for question, choices in layout.questions.items():
            for group, members in layout.groups.items():
                for c in choices:
                    row: list[Cell] = [(node, ((question, c), (group, m))) for m in members]
                    found.append(((node, ((question, c),)), row))
                for m in members:
                    column: list[Cell] = [(node, ((question, c), (group, m))) for c in choices]
                    found.append(((node, ((group, m),)), column))
    months = scope_months(places)
    facilities = sorted({place.facility for place in places.values()})
    children: dict[str, list[str]] = {ALL: [facility_scope(f) for f in facilities]}
    for survey_id, place in sorted(places.items()):
        children.setdefault(facility_scope(place.facility), []).append(survey_scope(survey_id))
    for key in keys(layout):
        for scope, parts in children.items():
            for period in (ALL, *months.get(scope, ())):
                inside = [p for p in parts if period == ALL or period in months[p]]
                found.append((((scope, period), key), [((p, period), key) for p in inside]))
        for scope, scope_periods in months.items():
            found.append((((scope, ALL), key), [((scope, m), key) for m in scope_periods]))
    return found


# --- counting and protecting --------------------------------------------------------------------


def count(replies: Iterable[Reply], layout: Layout, places: Mapping[int, Place]) -> dict[Cell, int]:
    """Every cell of every published filter, zeros included."""
    counts: dict[Cell, int] = {(n, k): 0 for n in nodes(places) for k in keys(layout)}
    for reply in replies:
        place = places.get(reply.survey)
        if place is None or reply.period not in place.months:
            continue
        picked = layout.all_questions()
        if any(reply.answers.get(q) not in choices for q, choices in picked.items()):
            continue  # not an answer to these questions: it would break every sum
        reply_keys: list[Key] = [()]
        reply_keys += [((q, reply.answers[q]),) for q in picked]
        reply_keys += [
            ((q, reply.answers[q]), (g, reply.answers[g]))
            for q in layout.questions
            for g in layout.groups
        ]
        scopes = (ALL, facility_scope(place.facility), survey_scope(reply.survey))
        for scope in scopes:
            for period in (ALL, reply.period):
                for key in reply_keys:
                    counts[((scope, period), key)] += 1
    return counts


@dataclass(frozen=True)
class Protected:
    """Counts with the cells that must not be shown."""

    counts: Mapping[Cell, int]
    hidden: frozenset[Cell]

    def value(self, node: Node, key: Key) -> int | None:
        """The published count, or None when it is hidden (or no such filter exists)."""
        cell = (node, key)
        if cell not in self.counts or cell in self.hidden:
            return None
        return self.counts[cell]


def suppress(
    counts: Mapping[Cell, int], equations: Sequence[tuple[Cell, Sequence[Cell]]]
) -> frozenset[Cell]:
    """The cells to hide: the small ones, then their complements (see the module's rule)."""
    hidden = {cell for cell, value in counts.items() if 0 < value < MIN_CELL}
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            cells = [total, *parts]
            concealed = [c for c in cells if c in hidden]
            if not concealed:
                continue
            weak = len(concealed) == 1 or (
                total not in hidden and sum(counts[c] for c in concealed) < MIN_CELL
            )
            shown = [c for c in cells if c not in hidden]
            if weak and shown:
                # A zero hides nothing: an equation's hidden cells must still add up to something.
                hidden.add(min(shown, key=lambda c: (counts[c] == 0, counts[c], c == total, c)))
                changed = True
    return frozenset(hidden)


def protect(replies: Iterable[Reply], layout: Layout, places: Mapping[int, Place]) -> Protected:
    counts = count(replies, layout, places)
    return Protected(counts, suppress(counts, equations(layout, places)))


# --- tables to show -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OneWay:
    question: str
    rows: list[tuple[str, int | None]]
    total: int | None


@dataclass(frozen=True)
class TwoWay:
    question: str
    group: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], int | None]]
    column_totals: list[int | None]
    total: int | None


def one_way(published: Protected, node: Node, question: str, choices: Sequence[str]) -> OneWay:
    rows = [(c, published.value(node, ((question, c),))) for c in choices]
    return OneWay(question, rows, published.value(node, ()))


def two_way(
    published: Protected,
    node: Node,
    question: str,
    choices: Sequence[str],
    group: str,
    members: Sequence[str],
) -> TwoWay:
    rows = [
        (
            c,
            [published.value(node, ((question, c), (group, m))) for m in members],
            published.value(node, ((question, c),)),
        )
        for c in choices
    ]
    column_totals = [published.value(node, ((group, m),)) for m in members]
    return TwoWay(question, group, list(members), rows, column_totals, published.value(node, ()))


def share(published: Protected, node: Node, question: str, choice: str) -> tuple[int, int] | None:
    """(those who picked `choice`, all who answered), only when both are published."""
    picked = published.value(node, ((question, choice),))
    total = published.value(node, ())
    if picked is None or total is None or total == 0:
        return None
    return picked, total
