"""Survey tables never show a number resting on one to four answers (a zero names nobody), and
no hidden number can be worked out from the published ones: not from a table's row and column
totals, nor by taking one filter from another (all facilities minus the facility tables, a period
minus its months)."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stonebridge.voice.disclosure import (
    ALL,
    MIN_CELL,
    Layout,
    Place,
    Reply,
    facility_scope,
    nodes,
    one_way,
    protect,
    survey_scope,
    two_way,
)

LAYOUT = Layout(
    questions={"stay": ["yes", "unsure", "no"], "mask": ["yes", "no"]},
    groups={"job": ["cutting", "finishing", "other"], "years": ["short", "long"]},
)
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


@st.composite
def worlds(draw):
    """Facilities with one or two surveys each, each open for one to three months, and the
    answers workers gave, piled up unevenly so small cells are common."""
    places: dict[int, Place] = {}
    survey_id = 0
    for facility in range(1, draw(st.integers(1, 3)) + 1):
        for _ in range(draw(st.integers(1, 2))):
            survey_id += 1
            start = draw(st.integers(0, 3))
            length = draw(st.integers(1, 4 - start))
            places[survey_id] = Place(facility, tuple(MONTHS[start : start + length]))
    replies = []
    answer = st.fixed_dictionaries(
        {q: st.sampled_from(c) for q, c in LAYOUT.all_questions().items()}
    )
    for survey, place in places.items():
        for month in place.months:
            for answers in draw(st.lists(answer, max_size=draw(st.sampled_from([3, 12, 40])))):
                # Workers often answer alike: repeat some answers to make large cells too.
                for _ in range(draw(st.integers(1, 4))):
                    replies.append(Reply(survey, month, answers))
    return places, replies


def published_world(places, replies):
    """Every published table, as a reader sees it: {(node, label): value or None}, with the
    reader's own equations between those labels."""
    protected = protect(replies, LAYOUT, places)
    seen: dict[tuple, int | None] = {}
    sums: list[tuple[tuple, list[tuple]]] = []
    for node in nodes(places):
        for question, choices in LAYOUT.all_questions().items():
            table = one_way(protected, node, question, choices)
            for choice, value in table.rows:
                seen[(node, (question, choice))] = value
            seen[(node, "total")] = table.total
            sums.append(((node, "total"), [(node, (question, c)) for c in choices]))
        for question, choices in LAYOUT.questions.items():
            for group, members in LAYOUT.groups.items():
                table = two_way(protected, node, question, choices, group, members)
                for choice, cells, row_total in table.rows:
                    assert row_total == seen[(node, (question, choice))]
                    labels = []
                    for member, value in zip(members, cells, strict=True):
                        label = (node, (question, choice), (group, member))
                        seen[label] = value
                        labels.append(label)
                    sums.append(((node, (question, choice)), labels))
                for member, value in zip(members, table.column_totals, strict=True):
                    assert value == seen[(node, (group, member))]
                    column = [(node, (question, c), (group, member)) for c in choices]
                    sums.append(((node, (group, member)), column))
    # Between filters: parents are the sums of their children, cell by cell.
    labels = {label[1:] for label in seen}
    scopes = {}
    for survey, place in places.items():
        scopes.setdefault(facility_scope(place.facility), set()).add(survey_scope(survey))
    months_of = {}
    for node in nodes(places):
        if node[1] != ALL:
            months_of.setdefault(node[0], set()).add(node[1])
    children = {ALL: set(scopes)} | scopes
    for rest in labels:
        for parent, kids in children.items():
            for period in [ALL, *months_of[parent]]:
                parts = [(kid, period) for kid in kids if period == ALL or period in months_of[kid]]
                sums.append((((parent, period), *rest), [(p, *rest) for p in parts]))
        for scope, months in months_of.items():
            sums.append((((scope, ALL), *rest), [((scope, m), *rest) for m in months]))
    return protected, seen, sums


def solve_one_unknown_at_a_time(seen, sums):
    """What a reader works out: any sum with one unknown gives it; repeat until nothing new."""
    known = {label: value for label, value in seen.items() if value is not None}
    progress = True
    while progress:
        progress = False
        for total, parts in sums:
            unknown = [x for x in (total, *parts) if x not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            if missing == total:
                known[total] = sum(known[p] for p in parts)
            else:
                known[missing] = known[total] - sum(known[p] for p in parts if p != missing)
            progress = True
    return known


def solve_all_at_once(seen, sums):
    """What a reader with a linear-algebra package works out: every equation at once, reduced
    exactly; a hidden label is fixed when a reduced row names it alone. Returns {label: value}."""
    unknown = sorted((label for label, value in seen.items() if value is None), key=repr)
    index = {label: i for i, label in enumerate(unknown)}
    pivots = {}  # column -> (row, right-hand side)
    for total, parts in sums:
        row, rhs = {}, Fraction(0)
        for label, sign in [(total, 1), *((p, -1) for p in parts)]:
            if label in index:
                row[index[label]] = row.get(index[label], 0) + sign
            else:
                rhs -= sign * seen[label]
        row = {k: Fraction(v) for k, v in row.items() if v}
        for column, (pivot, value) in pivots.items():
            if column in row:
                factor = row[column]
                for k, v in pivot.items():
                    row[k] = row.get(k, 0) - factor * v
                rhs -= factor * value
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        column = min(row)
        lead = row[column]
        row, rhs = {k: v / lead for k, v in row.items()}, rhs / lead
        for other_column, (pivot, value) in list(pivots.items()):
            if column in pivot:
                factor = pivot[column]
                reduced = {k: pivot.get(k, 0) - factor * row.get(k, 0) for k in {*pivot, *row}}
                reduced = {k: v for k, v in reduced.items() if v}
                pivots[other_column] = (reduced, value - factor * rhs)
        pivots[column] = (row, rhs)
    return {unknown[c]: value for c, (row, value) in pivots.items() if len(row) == 1}


SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(worlds())
def test_no_published_cell_rests_on_one_to_four_answers(world):
    places, replies = world
    _protected, seen, _sums = published_world(places, replies)
    assert all(value == 0 or value >= MIN_CELL for value in seen.values() if value is not None)


@SETTINGS
@given(worlds())
def test_no_hidden_cell_can_be_worked_out_from_totals_or_other_filters(world):
    places, replies = world
    _protected, seen, sums = published_world(places, replies)
    known = solve_one_unknown_at_a_time(seen, sums)
    derived = {label for label in known if seen[label] is None}
    assert derived == set()


@SETTINGS
@given(worlds())
def test_no_hidden_cell_is_fixed_by_solving_every_equation_at_once(world):
    places, replies = world
    _protected, seen, sums = published_world(places, replies)
    assert solve_all_at_once(seen, sums) == {}


@SETTINGS
@given(worlds())
def test_hidden_parts_of_a_shown_total_add_up_to_five_or_more(world):
    places, replies = world
    _protected, seen, sums = published_world(places, replies)
    for total, parts in sums:
        if seen[total] is None:
            continue
        hidden = [p for p in parts if seen[p] is None]
        shown = sum(seen[p] for p in parts if seen[p] is not None)
        assert not hidden or seen[total] - shown >= MIN_CELL


@SETTINGS
@given(worlds())
def test_published_numbers_are_the_true_counts(world):
    places, replies = world
    protected, _seen, _sums = published_world(places, replies)
    for (node, key), value in protected.counts.items():
        shown = protected.value(node, key)
        assert shown is None or shown == value


def replies_for(survey, month, groups):
    """`groups`: [(answers, how many)]."""
    return [Reply(survey, month, answers) for answers, n in groups for _ in range(n)]


def answers(stay="yes", mask="yes", job="cutting", years="long"):
    return {"stay": stay, "mask": mask, "job": job, "years": years}


def test_a_row_with_one_small_cell_hides_a_second_one():
    places = {1: Place(1, ("2026-01",))}
    replies = replies_for(
        1,
        "2026-01",
        [(answers(), 20), (answers(stay="no"), 12), (answers(stay="unsure"), 2)],
    )
    protected = protect(replies, LAYOUT, places)
    table = one_way(protected, (survey_scope(1), ALL), "stay", ["yes", "unsure", "no"])
    assert table.total == 34
    assert table.rows == [("yes", 20), ("unsure", None), ("no", None)]


def test_a_facility_cannot_be_found_by_taking_the_others_from_all_facilities():
    places = {1: Place(1, ("2026-01",)), 2: Place(2, ("2026-01",))}
    replies = replies_for(1, "2026-01", [(answers(), 30), (answers(mask="no"), 10)])
    replies += replies_for(2, "2026-01", [(answers(), 30), (answers(mask="no"), 3)])
    protected = protect(replies, LAYOUT, places)
    every = one_way(protected, (ALL, ALL), "mask", ["yes", "no"])
    first = one_way(protected, (facility_scope(1), ALL), "mask", ["yes", "no"])
    second = one_way(protected, (facility_scope(2), ALL), "mask", ["yes", "no"])
    assert second.rows[1] == ("no", None)
    # Either the whole's "no" or the first facility's is hidden too: 13 minus 10 is not on show.
    assert every.rows[1][1] is None or first.rows[1][1] is None


def test_months_of_a_survey_add_up_without_giving_a_small_month_away():
    places = {1: Place(1, ("2026-01", "2026-02"))}
    replies = replies_for(1, "2026-01", [(answers(), 30)])
    replies += replies_for(1, "2026-02", [(answers(), 3)])
    protected = protect(replies, LAYOUT, places)
    whole = protected.value((survey_scope(1), ALL), ())
    january = protected.value((survey_scope(1), "2026-01"), ())
    february = protected.value((survey_scope(1), "2026-02"), ())
    assert february is None
    assert whole is None or january is None
