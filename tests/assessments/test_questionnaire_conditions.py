"""XLSForm conditions read as ODK reads them, and anything else is refused with where."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stonebridge.assessments.conditions import (
    AllOf,
    AnyOf,
    Compare,
    ConditionError,
    Literal,
    Reference,
    Selected,
    evaluate,
    holds,
    parse,
    references,
    visible,
)


def test_it_reads_each_supported_form():
    assert parse("${q} = 'v'") == Compare(Reference("q"), "=", Literal("v"))
    assert parse('${q} != "v"') == Compare(Reference("q"), "!=", Literal("v"))
    assert parse("selected(${q}, 'a')") == Selected("q", "a")
    assert parse("${n} >= 36") == Compare(Reference("n"), ">=", Literal(Decimal(36)))
    assert parse("${a} > ${b}") == Compare(Reference("a"), ">", Reference("b"))


def test_and_binds_tighter_than_or_and_parentheses_change_it():
    a, b, c = (Compare(Reference(n), "=", Literal("y")) for n in "abc")
    assert parse("${a} = 'y' or ${b} = 'y' and ${c} = 'y'") == AnyOf((a, AllOf((b, c))))
    assert parse("(${a} = 'y' or ${b} = 'y') and ${c} = 'y'") == AllOf((AnyOf((a, b)), c))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("not(${a} = 'y')", "“not” at 1"),
        ("${a} + 1 > 2", "at 6"),
        ("string-length(${a}) > 2", "at 1"),
        ("${a} = ", "ends too early"),
        ("(${a} = 'y'", "at the end"),
        ("${a} = 'y' ${b}", "“${b}” at 12"),
        ("'a' = 'b'", "not two values"),
        ("", "empty"),
        ("${a}", "expected a comparison"),
    ],
)
def test_anything_else_is_refused_saying_where(text, where):
    with pytest.raises(ConditionError, match=re.escape(where)):
        parse(text)


def test_an_unanswered_question_is_empty_as_in_odk():
    assert not holds("${q} = 'yes'", {})
    assert holds("${q} != 'yes'", {})
    assert not holds("${n} > 3", {})
    assert not holds("${n} < 3", {"n": ""})
    assert not holds("selected(${m}, 'a')", {})


def test_selected_reads_a_multiple_choice_answer():
    assert holds("selected(${m}, 'b')", {"m": ["a", "b"]})
    assert not holds("selected(${m}, 'c')", {"m": ["a", "b"]})
    assert holds("selected(${m}, 'b')", {"m": "a b"})


def test_numbers_compare_as_numbers_not_as_text():
    assert holds("${n} > 9", {"n": "10"})
    assert holds("${n} = 10", {"n": "10.0"})
    assert not holds("${n} > 9", {"n": "ten"})


def test_dates_compare_in_order():
    assert holds("${d} < '2026-01-01'", {"d": "2025-12-31"})
    assert not holds("${d} < '2026-01-01'", {"d": "2026-01-02"})


def test_a_question_hidden_by_an_earlier_answer_hides_those_that_depend_on_it():
    questions = [
        ("dry", ""),
        ("dust", "${dry} = 'yes'"),
        ("photo", "${dust} = 'yes'"),
        ("note", "${dust} != 'yes'"),
    ]
    assert visible(questions, {"dry": "yes", "dust": "yes"}) == {"dry", "dust", "photo"}
    # The dust answer stays in the draft, but with no dry cutting it no longer counts.
    assert visible(questions, {"dry": "no", "dust": "yes"}) == {"dry", "note"}


def test_references_name_the_questions_read():
    assert references(parse("selected(${a}, 'x') or (${b} > 1 and ${c} = 'y')")) == {"a", "b", "c"}


# Property: a condition written out as text and read back means the same for any answers.
NAMES = st.sampled_from(["a", "b", "c"])
VALUES = st.sampled_from(["x", "y", "z"])
NUMBERS = st.integers(min_value=-50, max_value=50)
OPERATORS = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])

leaves = st.one_of(
    st.builds(lambda n, v: (f"${{{n}}} = '{v}'", ("eq", n, v)), NAMES, VALUES),
    st.builds(lambda n, v: (f"${{{n}}} != '{v}'", ("ne", n, v)), NAMES, VALUES),
    st.builds(lambda n, v: (f"selected(${{{n}}}, '{v}')", ("sel", n, v)), NAMES, VALUES),
    st.builds(lambda op, k: (f"${{n}} {op} {k}", ("num", op, k)), OPERATORS, NUMBERS),
)


def combine(children):
    return st.tuples(st.sampled_from(["and", "or"]), children, children).map(
        lambda t: (f"({t[1][0]}) {t[0]} ({t[2][0]})", (t[0], t[1][1], t[2][1]))
    )


expressions = st.recursive(leaves, combine, max_leaves=8)
answers = st.fixed_dictionaries(
    {
        "a": VALUES,
        "b": st.lists(VALUES, unique=True).map(list),
        "c": st.one_of(st.just(""), VALUES),
        "n": st.one_of(st.just(""), NUMBERS.map(str)),
    }
)


def meaning(tree, values):
    kind = tree[0]
    if kind in ("and", "or"):
        left, right = meaning(tree[1], values), meaning(tree[2], values)
        return (left and right) if kind == "and" else (left or right)
    if kind == "num":
        _k, op, number = tree
        if values["n"] == "":
            return op == "!="
        n = int(values["n"])
        return {
            "=": n == number,
            "!=": n != number,
            "<": n < number,
            "<=": n <= number,
            ">": n > number,
            ">=": n >= number,
        }[op]
    _k, name, value = tree
    answer = values[name]
    text = " ".join(answer) if isinstance(answer, list) else answer
    if kind == "sel":
        return value in (answer if isinstance(answer, list) else text.split())
    return (text == value) if kind == "eq" else (text != value)


@given(expressions, answers)
def test_a_written_condition_means_what_it_says(expression, values):
    text, tree = expression
    assert evaluate(parse(text), values) == meaning(tree, values)


@given(expressions, answers)
def test_or_of_a_condition_and_its_negation_by_inequality_always_holds(expression, values):
    text, _tree = expression
    # `${a} = 'x' or ${a} != 'x'` holds whatever else is true.
    assert holds(f"({text}) or ${{a}} = 'x' or ${{a}} != 'x'", values)
