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
3) Then solve every equation of every table at once, as a reader with a linear-algebra package
would (exact elimination): if that fixes a hidden cell, hide the smallest shown cell of one of
its equations and go back to step 2.

Because all filters are protected together, the same cell is hidden the same way in every table
it appears in; every equation ends with no hidden cell or at least two, and no hidden cell is
fixed by the equations together, so neither a reader solving one unknown at a time, within or
across tables, nor one solving them all at once learns a hidden cell.

Known limit: tables published before a new survey closed can be compared with those after it
(results appear only for closed surveys, which keeps such changes rare and large).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

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


def _key(counts: Mapping[Cell, int], cell: Cell, total: Cell) -> tuple[bool, int, bool, Cell]:
    """Which shown cell to hide next: the smallest, a part before its total. A zero hides
    nothing: an equation's hidden cells must still add up to something."""
    return (counts[cell] == 0, counts[cell], cell == total, cell)


def _complete(
    counts: Mapping[Cell, int],
    equations: Sequence[tuple[Cell, Sequence[Cell]]],
    hidden: set[Cell],
) -> None:
    """Step 2 of the rule, until no equation has a lone hidden cell or a small hidden sum."""
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
                hidden.add(min(shown, key=lambda c: _key(counts, c, total)))
                changed = True


def determined(
    equations: Sequence[tuple[Cell, Sequence[Cell]]], hidden: Iterable[Cell]
) -> list[Cell]:
    """The hidden cells the published ones fix when every equation is solved at once (exact
    elimination over the rationals; which cells are fixed does not depend on the values)."""
    unknown = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for total, parts in equations:
        row: dict[int, Fraction] = defaultdict(Fraction)
        for cell, sign in ((total, 1), *((p, -1) for p in parts)):
            if cell in index:
                row[index[cell]] += sign
        reduced = {k: v for k, v in row.items() if v}
        for column in [k for k in reduced if k in pivots]:
            factor = reduced.get(column)
            if factor:
                for k, v in pivots[column].items():
                    reduced[k] = reduced.get(k, Fraction(0)) - factor * v
                reduced = {k: v for k, v in reduced.items() if v}
        if not reduced:
            continue
        column = min(reduced)
        lead = reduced[column]
        new = {k: v / lead for k, v in reduced.items()}
        for other in pivots.values():
            factor = other.get(column)
            if factor:
                for k, v in new.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[column] = new
    return [unknown[column] for column, row in pivots.items() if len(row) == 1]


def suppress(
    counts: Mapping[Cell, int], equations: Sequence[tuple[Cell, Sequence[Cell]]]
) -> frozenset[Cell]:
    """The cells to hide: the small ones, then their complements (see the module's rule), then
    more until no hidden cell is fixed by all the equations together."""
    hidden = {cell for cell, value in counts.items() if 0 < value < MIN_CELL}
    containing: dict[Cell, list[tuple[Cell, Sequence[Cell]]]] = defaultdict(list)
    for total, parts in equations:
        for cell in (total, *parts):
            containing[cell].append((total, parts))
    while True:
        _complete(counts, equations, hidden)
        fixed = determined(equations, hidden)
        if not fixed:
            return frozenset(hidden)
        before = len(hidden)
        for cell in fixed:
            shown = [
                (c, total)
                for total, parts in containing[cell]
                for c in (total, *parts)
                if c not in hidden
            ]
            if shown:
                pick, _total = min(shown, key=lambda pair: _key(counts, *pair))
                hidden.add(pick)
        if len(hidden) == before:
            # Every equation of the fixed cells is hidden already: widen to any equation that
            # holds a hidden cell; with nothing left to hide, nothing more can be done.
            shown = [
                (c, total)
                for total, parts in equations
                if any(x in hidden for x in (total, *parts))
                for c in (total, *parts)
                if c not in hidden
            ]
            if not shown:
                return frozenset(hidden)
            pick, _total = min(shown, key=lambda pair: _key(counts, *pair))
            hidden.add(pick)


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
