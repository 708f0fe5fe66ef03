"""The four red flags for disengagement, judged from plain records (no database, no clock).

Dates count from one fixed day, so a reader can check each case by hand.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stonebridge.engagement import flags
from stonebridge.engagement.flags import (
    GRACE_DAYS,
    ActionFact,
    FindingFact,
    OutcomeFact,
    Record,
    RequestFact,
    SupportFact,
)

TODAY = date(2026, 6, 1)
PERIOD = 365


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def record(**values) -> Record:
    return Record(today=TODAY, improvement_period_days=PERIOD, **values)


def request(kind="question", due_days_ago=GRACE_DAYS + 1, state="open", id=1) -> RequestFact:
    return RequestFact(id, kind, f"{kind} request", days_ago(due_days_ago), state)


def action(silent_days=None, due_days_ago=GRACE_DAYS + 30, open=True, id=1) -> ActionFact:
    word = None if silent_days is None else days_ago(silent_days)
    return ActionFact(id, "Dust extraction", days_ago(due_days_ago), open, word)


def finding(indicator, disclosed=False, id=1) -> FindingFact:
    return FindingFact(id, indicator, f"{indicator} found", days_ago(20), disclosed)


def outcome(
    baseline="60",
    latest="60",
    started_days_ago=PERIOD + 30,
    lower_is_better=True,
    action_id=1,
    id=1,
) -> OutcomeFact:
    return OutcomeFact(
        id=id,
        label="Average weekly working hours",
        action_id=action_id,
        plan_started=days_ago(started_days_ago),
        baseline=None if baseline is None else Decimal(baseline),
        latest=None if latest is None else Decimal(latest),
        latest_on=None if latest is None else days_ago(10),
        lower_is_better=lower_is_better,
    )


def support(action_ids=(1,), id=1, given_days_ago=PERIOD + 10) -> SupportFact:
    return SupportFact(id, "Expert visit", days_ago(given_days_ago), frozenset(action_ids))


def codes(facts) -> list[str]:
    return [fact.code for fact in facts]


# --- 1. refusal to engage ---------------------------------------------------------------------


def test_a_request_ignored_past_the_grace_period_raises_refusal_to_engage():
    flag = flags.refusal_to_engage(record(requests=[request(due_days_ago=GRACE_DAYS + 1)]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["request_ignored"]
    assert flag.evidence_for[0].ref == "request:1"


def test_a_request_ten_days_past_due_is_not_yet_a_refusal():
    flag = flags.refusal_to_engage(record(requests=[request(due_days_ago=10)]))
    assert not flag.raised
    assert flag.evidence_for == []


def test_a_refused_question_raises_refusal_to_engage():
    flag = flags.refusal_to_engage(record(requests=[request(state="refused", due_days_ago=-5)]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["request_refused"]


def test_answered_requests_and_an_acknowledged_code_speak_for_the_supplier():
    flag = flags.refusal_to_engage(
        record(requests=[request(state="answered")], code_acknowledged=True)
    )
    assert not flag.raised
    assert set(codes(flag.evidence_against)) == {"request_answered", "code_acknowledged"}


def test_an_overdue_action_the_supplier_reported_on_within_the_grace_period_is_not_a_refusal():
    flag = flags.refusal_to_engage(record(actions=[action(silent_days=GRACE_DAYS)]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["action_progressing"]


def test_an_overdue_action_with_a_supplier_silent_for_longer_raises_refusal_to_engage():
    flag = flags.refusal_to_engage(record(actions=[action(silent_days=GRACE_DAYS + 1)]))
    assert flag.raised
    (fact,) = flag.evidence_for
    assert fact.code == "action_ignored"
    assert fact.params["days"] == GRACE_DAYS + 1
    assert "31 days" in str(fact)


def test_an_overdue_action_without_any_word_from_the_supplier_raises_refusal_to_engage():
    flag = flags.refusal_to_engage(record(actions=[action(silent_days=None)]))
    assert flag.raised


def test_a_transparency_request_is_not_judged_as_refusal_to_engage():
    flag = flags.refusal_to_engage(record(requests=[request(kind="visit", state="refused")]))
    assert not flag.raised


# --- 2. refusal of transparency ---------------------------------------------------------------


def test_a_refused_visit_raises_refusal_of_transparency():
    flag = flags.refusal_of_transparency(
        record(requests=[request(kind="visit", state="refused", due_days_ago=-10)])
    )
    assert flag.raised
    assert codes(flag.evidence_for) == ["request_refused"]


def test_gaps_in_the_buyers_own_map_alone_do_not_raise_refusal_of_transparency():
    flag = flags.refusal_of_transparency(record(undisclosed_subcontractors=2))
    assert not flag.raised
    (fact,) = flag.evidence_against
    assert fact.code == "map_gaps_not_asked"
    assert "ask first" in str(fact)


def test_gaps_do_not_count_when_only_a_visit_was_refused():
    flag = flags.refusal_of_transparency(
        record(
            requests=[request(kind="visit", state="refused", due_days_ago=-10)],
            undisclosed_subcontractors=2,
        )
    )
    assert "map_gaps" not in codes(flag.evidence_for)
    assert "map_gaps_not_asked" in codes(flag.evidence_against)


@pytest.mark.parametrize(
    ("state", "due_days_ago"),
    [("refused", -10), ("open", GRACE_DAYS + 1)],
    ids=["refused", "ignored"],
)
def test_gaps_count_once_sub_contractor_disclosure_was_refused_or_ignored(state, due_days_ago):
    flag = flags.refusal_of_transparency(
        record(
            requests=[request(kind="subcontractors", state=state, due_days_ago=due_days_ago)],
            undisclosed_subcontractors=2,
        )
    )
    assert flag.raised
    assert "map_gaps" in codes(flag.evidence_for)
    assert "map_gaps_not_asked" not in codes(flag.evidence_against)


def test_an_answered_disclosure_request_with_gaps_left_is_not_a_refusal():
    flag = flags.refusal_of_transparency(
        record(
            requests=[request(kind="subcontractors", state="answered")],
            undisclosed_subcontractors=1,
        )
    )
    assert not flag.raised
    assert set(codes(flag.evidence_against)) == {"request_answered", "map_gaps_not_asked"}


def test_an_audit_finding_of_a_refused_visit_raises_refusal_of_transparency():
    flag = flags.refusal_of_transparency(record(findings=[finding("TR_REFUSED_VISIT")]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["finding"]


def test_the_same_finding_disclosed_by_the_supplier_does_not_raise_it():
    flag = flags.refusal_of_transparency(
        record(findings=[finding("TR_REFUSED_VISIT", disclosed=True)])
    )
    assert not flag.raised
    assert codes(flag.evidence_against) == ["disclosed"]


# --- 3. no tangible improvement despite support -----------------------------------------------


def test_no_improvement_after_the_period_despite_support_raises_the_flag():
    flag = flags.no_improvement(record(outcomes=[outcome()], support=[support()]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["outcome_flat", "support_given"]


def test_no_improvement_without_support_cannot_be_held_against_the_supplier():
    flag = flags.no_improvement(record(outcomes=[outcome()]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["no_support"]


def test_support_for_another_action_does_not_count_for_this_outcome():
    flag = flags.no_improvement(record(outcomes=[outcome()], support=[support(action_ids=(2,))]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["no_support"]


def test_no_improvement_is_not_raised_while_the_period_runs():
    flag = flags.no_improvement(
        record(outcomes=[outcome(started_days_ago=PERIOD - 1)], support=[support()])
    )
    assert not flag.raised
    assert codes(flag.evidence_against) == ["period_running"]


def test_no_improvement_is_not_raised_when_any_outcome_improved():
    flat = outcome(id=1)
    better = outcome(id=2, baseline="66", latest="58")
    flag = flags.no_improvement(record(outcomes=[flat, better], support=[support()]))
    assert not flag.raised
    assert "outcome_improved" in codes(flag.evidence_against)


def test_no_improvement_is_not_raised_when_the_plans_measure_no_outcomes():
    flag = flags.no_improvement(record(support=[support()]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["no_outcomes"]


def test_an_outcome_never_measured_after_the_period_despite_support_raises_the_flag():
    flag = flags.no_improvement(record(outcomes=[outcome(latest=None)], support=[support()]))
    assert flag.raised
    assert "outcome_unmeasured" in codes(flag.evidence_for)


@pytest.mark.parametrize(
    ("lower_is_better", "raised"),
    [(True, False), (False, True)],
    ids=["hours-fell-lower-is-better", "share-fell-higher-is-better"],
)
def test_the_direction_of_an_outcome_decides_what_improvement_is(lower_is_better, raised):
    fell = outcome(baseline="66", latest="58", lower_is_better=lower_is_better)
    flag = flags.no_improvement(record(outcomes=[fell], support=[support()]))
    assert flag.raised is raised


# --- 4. systematic, irremediable risk ---------------------------------------------------------


def test_a_finding_of_prison_or_state_imposed_labour_raises_the_irremediable_flag():
    flag = flags.systematic_irremediable(record(findings=[finding("FL_STATE_PRISON")]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["finding"]


def test_the_same_finding_disclosed_by_the_supplier_does_not_raise_it_on_its_own():
    flag = flags.systematic_irremediable(
        record(findings=[finding("FL_STATE_PRISON", disclosed=True)])
    )
    assert not flag.raised
    assert codes(flag.evidence_against) == ["disclosed"]


def test_other_findings_do_not_raise_the_irremediable_flag():
    flag = flags.systematic_irremediable(record(findings=[finding("TR_REFUSED_VISIT")]))
    assert not flag.raised


def test_the_next_step_for_state_imposed_labour_is_a_responsible_exit():
    raised = flags.evaluate(record(findings=[finding("FL_STATE_PRISON")]))
    assert flags.next_step(raised, steps_taken=[]) == "exit"


def test_the_next_step_is_the_first_escalation_not_yet_taken():
    raised = flags.evaluate(record(requests=[request()]))
    assert flags.next_step(raised, steps_taken=["reminder"]) == "senior_meeting"
    assert flags.next_step(raised, steps_taken=[]) == "reminder"


def test_after_collective_action_the_next_step_is_higher_on_the_ladder():
    raised = flags.evaluate(record(requests=[request()]))
    assert flags.next_step(raised, steps_taken=["collective_action"]) == "suspend_orders"
    assert flags.next_step(raised, steps_taken=["suspend_orders", "resume_orders"]) == "exit"


def test_after_an_exit_plan_no_further_step_is_suggested():
    raised = flags.evaluate(record(requests=[request()]))
    assert flags.next_step(raised, steps_taken=["exit"]) is None
    irremediable = flags.evaluate(record(findings=[finding("FL_STATE_PRISON")]))
    assert flags.next_step(irremediable, steps_taken=["reminder", "exit"]) is None


def test_there_is_no_next_step_without_a_raised_flag():
    calm = flags.evaluate(record(requests=[request(state="answered")]))
    assert flags.next_step(calm, steps_taken=[]) is None


def test_evaluate_judges_all_four_flags_in_order():
    assert [flag.code for flag in flags.evaluate(record())] == [
        flags.REFUSAL_TO_ENGAGE,
        flags.REFUSAL_OF_TRANSPARENCY,
        flags.NO_IMPROVEMENT,
        flags.IRREMEDIABLE,
    ]


# --- no zero tolerance ------------------------------------------------------------------------

INDICATORS = ["FL_STATE_PRISON", "TR_REFUSED_VISIT", "TR_SUBCONTRACTOR", "OHS_SILICA"]
ids = st.integers(1, 4)
day = st.integers(-60, 500).map(days_ago)
amount = st.one_of(st.none(), st.integers(0, 100).map(Decimal))

requests = st.builds(
    RequestFact,
    id=ids,
    kind=st.sampled_from(["question", "documents", "visit", "subcontractors"]),
    label=st.just("request"),
    due_on=day,
    state=st.sampled_from(["open", "answered", "refused"]),
)
actions = st.builds(
    ActionFact,
    id=ids,
    label=st.just("action"),
    due_on=day,
    open=st.booleans(),
    last_supplier_word=st.one_of(st.none(), day),
)
outcomes = st.builds(
    OutcomeFact,
    id=ids,
    label=st.just("outcome"),
    action_id=ids,
    plan_started=day,
    baseline=amount,
    latest=amount,
    latest_on=st.one_of(st.none(), day),
    lower_is_better=st.booleans(),
)
supports = st.builds(
    SupportFact,
    id=ids,
    label=st.just("support"),
    given_on=day,
    action_ids=st.frozensets(ids, max_size=3),
)
findings = st.builds(
    FindingFact,
    id=ids,
    indicator=st.sampled_from(INDICATORS),
    label=st.just("finding"),
    observed_on=day,
    disclosed_by_supplier=st.booleans(),
)
records = st.builds(
    Record,
    today=st.just(TODAY),
    improvement_period_days=st.integers(30, 1825),
    requests=st.lists(requests, max_size=4),
    actions=st.lists(actions, max_size=4),
    outcomes=st.lists(outcomes, max_size=4),
    support=st.lists(supports, max_size=3),
    findings=st.lists(findings, max_size=4),
    code_acknowledged=st.booleans(),
    undisclosed_subcontractors=st.integers(0, 3),
)
disclosures = st.builds(
    FindingFact,
    id=st.integers(100, 200),
    indicator=st.sampled_from(INDICATORS),
    label=st.just("disclosed"),
    observed_on=day,
    disclosed_by_supplier=st.just(True),
)


@settings(max_examples=300)
@given(records, disclosures)
def test_a_supplier_disclosing_a_problem_never_raises_a_flag(before, disclosure):
    after = replace(before, findings=[*before.findings, disclosure])
    was = {flag.code: flag.raised for flag in flags.evaluate(before)}
    for flag in flags.evaluate(after):
        assert flag.raised <= was[flag.code], flag.code


# --- what the record must not be held against the supplier for ----------------------------


def test_the_period_runs_from_the_first_support_not_from_the_plans_start():
    flag = flags.no_improvement(
        record(outcomes=[outcome()], support=[support(given_days_ago=PERIOD - 30)])
    )
    assert not flag.raised
    assert codes(flag.evidence_against) == ["period_running"]


def test_support_dated_in_the_future_is_not_support_given():
    flag = flags.no_improvement(record(outcomes=[outcome()], support=[support(given_days_ago=-5)]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["no_support"]


def test_an_outcome_at_its_target_is_not_a_failure_to_improve():
    at_zero = OutcomeFact(
        id=1,
        label="Workers under 18 in hazardous work",
        action_id=1,
        plan_started=days_ago(PERIOD + 30),
        baseline=Decimal(0),
        latest=Decimal(0),
        latest_on=days_ago(5),
        lower_is_better=True,
        target=Decimal(0),
    )
    flag = flags.no_improvement(record(outcomes=[at_zero], support=[support()]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["outcome_at_target"]


def test_the_buyers_own_pushing_practices_are_weighed_against_no_improvement():
    flag = flags.no_improvement(
        record(
            outcomes=[outcome()],
            support=[support()],
            pushing_practices=["Price below the stated labour cost"],
        )
    )
    assert "own_practices" in codes(flag.evidence_against)


def test_an_action_waiting_for_the_buyer_is_not_a_refusal_to_engage():
    waiting = ActionFact(1, "Enrol workers", days_ago(90), True, days_ago(80), True)
    flag = flags.refusal_to_engage(record(actions=[waiting]))
    assert not flag.raised
    assert codes(flag.evidence_against) == ["action_waiting"]


def test_nothing_counts_before_the_suppliers_account_accepted_to_see_it():
    unseen = record(
        requests=[request(), request(kind="visit", state="refused", id=2)],
        actions=[action()],
        shared=False,
    )
    assert not flags.refusal_to_engage(unseen).raised
    assert not flags.refusal_of_transparency(unseen).raised
    assert "not_shared" in codes(flags.refusal_to_engage(unseen).evidence_against)


def test_an_audit_finding_of_hidden_sub_contracting_counts_once_disclosure_was_refused():
    hidden = finding("TR_SUBCONTRACTOR")
    assert not flags.refusal_of_transparency(record(findings=[hidden])).raised
    refused = request(kind="subcontractors", state="refused")
    flag = flags.refusal_of_transparency(record(findings=[hidden], requests=[refused]))
    assert flag.raised
    assert codes(flag.evidence_for) == ["request_refused", "finding"]


# --- a new supplier's account: the clocks start at its acceptance ----------------------------


def test_a_new_account_is_not_late_with_what_it_could_not_see_before_it_accepted():
    taken_over = record(requests=[request()], actions=[action()], since=days_ago(10))
    engage = flags.refusal_to_engage(taken_over)
    assert not engage.raised
    assert "new_account" in codes(engage.evidence_against)
    # Past the grace period from its own acceptance, the same silence counts.
    later = replace(taken_over, since=days_ago(GRACE_DAYS + 1))
    assert flags.refusal_to_engage(later).raised


def test_the_earlier_accounts_answers_and_words_are_not_the_new_ones():
    refused = RequestFact(2, "visit", "visit request", days_ago(60), "refused", days_ago(50))
    spoke = ActionFact(1, "Dust extraction", days_ago(90), True, days_ago(45))
    before = record(requests=[refused], actions=[spoke])
    assert flags.refusal_of_transparency(before).raised
    after = replace(before, since=days_ago(5))
    assert not flags.refusal_of_transparency(after).raised
    engage = flags.refusal_to_engage(after)
    assert not engage.raised
    assert "action_progressing" not in codes(engage.evidence_against)


def test_the_period_to_show_improvement_runs_again_from_the_new_accounts_acceptance():
    flat = record(outcomes=[outcome()], support=[support()])
    assert flags.no_improvement(flat).raised
    taken_over = replace(flat, since=days_ago(100))
    flag = flags.no_improvement(taken_over)
    assert not flag.raised
    assert "period_running" in codes(flag.evidence_against)


# --- what a person reads: each fact's sentence and what it links to ---------------------------
# Dates read as the reader writes them: TODAY is 1 Jun 2026, 31 days ago 1 May 2026, 90 days
# ago 3 Mar 2026.


def said(facts) -> list[tuple[str, str]]:
    return [(str(fact), fact.ref) for fact in facts]


def test_refusal_to_engage_says_what_was_ignored_and_what_speaks_for_the_supplier():
    waiting = ActionFact(3, "Enrol workers", days_ago(90), True, days_ago(80), True)
    flag = flags.refusal_to_engage(
        record(
            code_acknowledged=True,
            requests=[
                request(state="answered", id=1),
                request(id=2),
                request(state="refused", id=3),
            ],
            actions=[action(due_days_ago=90, id=1), action(silent_days=10, id=2), waiting],
        )
    )
    assert flag.raised is True
    assert said(flag.evidence_for) == [
        ("Request “question request” was due on 1 May 2026 and has had no answer.", "request:2"),
        ("Request “question request” was refused.", "request:3"),
        (
            "Action “Dust extraction” was due on 3 Mar 2026; the supplier has said nothing for "
            "90 days.",
            "action:1",
        ),
    ]
    assert said(flag.evidence_against) == [
        ("The supplier acknowledged your code of conduct.", ""),
        ("Request “question request” was answered.", "request:1"),
        ("The supplier reported on action “Dust extraction” on 22 May 2026.", "action:2"),
        (
            "Action “Enrol workers” waits for you: the supplier reported it done or proposed a "
            "new date.",
            "action:3",
        ),
    ]


def test_a_supplier_that_cannot_see_the_record_is_told_apart_from_one_that_ignores_it():
    flag = flags.refusal_to_engage(
        record(requests=[request()], code_acknowledged=True, shared=False)
    )
    assert (flag.code, flag.title, flag.raised) == (
        flags.REFUSAL_TO_ENGAGE,
        "Refuses to engage",
        False,
    )
    assert flag.evidence_for == []
    assert said(flag.evidence_against) == [
        ("The supplier acknowledged your code of conduct.", ""),
        (
            "The supplier's account has not accepted what you share, so it cannot see your "
            "requests and actions: they do not count against it.",
            "",
        ),
    ]


@pytest.mark.parametrize(
    ("due_days_ago", "raised"),
    [(GRACE_DAYS, False), (GRACE_DAYS + 1, True)],
    ids=["30th-day-of-grace", "31st-day"],
)
def test_a_request_counts_as_ignored_only_once_the_30th_day_of_grace_is_over(due_days_ago, raised):
    flag = flags.refusal_to_engage(record(requests=[request(due_days_ago=due_days_ago)]))
    assert flag.raised is raised


def test_a_transparency_request_listed_first_does_not_hide_an_ignored_question():
    flag = flags.refusal_to_engage(
        record(requests=[request(kind="visit", state="refused", id=1), request(id=2)])
    )
    assert [fact.ref for fact in flag.evidence_for] == ["request:2"]


def test_an_action_waiting_for_the_buyer_does_not_hide_another_ignored_action():
    waiting = ActionFact(1, "Enrol workers", days_ago(90), True, days_ago(80), True)
    flag = flags.refusal_to_engage(record(actions=[waiting, action(id=2)]))
    assert [fact.ref for fact in flag.evidence_for] == ["action:2"]


@pytest.mark.parametrize(
    ("answered_days_ago", "raised"), [(50, False), (10, True)], ids=["before", "on-the-day"]
)
def test_a_refusal_counts_for_the_new_account_from_the_day_it_accepted(answered_days_ago, raised):
    """The new account accepted 10 days ago: a question refused before was another's refusal;
    one refused that same day is its own."""
    refused = RequestFact(1, "question", "question request", days_ago(60), "refused")
    refused = replace(refused, answered_on=days_ago(answered_days_ago))
    flag = flags.refusal_to_engage(record(requests=[refused], since=days_ago(10)))
    assert flag.raised is raised


def test_the_suppliers_word_on_the_day_its_account_accepted_is_its_own():
    spoke = ActionFact(1, "Dust extraction", days_ago(90), True, days_ago(10))
    flag = flags.refusal_to_engage(record(actions=[spoke], since=days_ago(10)))
    assert said(flag.evidence_against) == [
        (
            "This supplier's account accepted on 22 May 2026, after you named it in place of "
            "another: what happened before does not count against it.",
            "",
        ),
        ("The supplier reported on action “Dust extraction” on 22 May 2026.", "action:1"),
    ]


def test_a_new_accounts_silence_is_counted_from_its_acceptance_not_from_the_due_date():
    flag = flags.refusal_to_engage(record(actions=[action(due_days_ago=90)], since=days_ago(40)))
    assert said(flag.evidence_for) == [
        (
            "Action “Dust extraction” was due on 3 Mar 2026; the supplier has said nothing for "
            "40 days.",
            "action:1",
        )
    ]


def test_refusal_of_transparency_says_what_was_refused_found_and_disclosed():
    flag = flags.refusal_of_transparency(
        record(
            requests=[
                request(kind="documents", id=1),
                request(kind="visit", state="refused", id=2),
                request(kind="subcontractors", state="answered", id=3),
            ],
            findings=[
                finding("TR_REFUSED_VISIT", id=7),
                finding("TR_REFUSED_VISIT", disclosed=True, id=8),
                finding("TR_SUBCONTRACTOR", id=9),
            ],
            undisclosed_subcontractors=2,
        )
    )
    assert flag.raised is True
    assert said(flag.evidence_for) == [
        ("Request “documents request” was due on 1 May 2026 and has had no answer.", "request:1"),
        ("Request “visit request” was refused.", "request:2"),
        ("Finding of 12 May 2026: TR_REFUSED_VISIT found", "evidence:7"),
    ]
    assert said(flag.evidence_against) == [
        ("Request “subcontractors request” was answered.", "request:3"),
        (
            "Disclosed by the supplier itself on 12 May 2026: TR_REFUSED_VISIT found. Disclosure "
            "never counts against a supplier.",
            "evidence:8",
        ),
        (
            "Finding of 12 May 2026: TR_SUBCONTRACTOR found. It counts once disclosure was asked "
            "for and refused.",
            "evidence:9",
        ),
        (
            "Your map shows 2 undisclosed sub-contracting steps, but disclosure was not yet "
            "requested and refused: ask first.",
            "",
        ),
    ]


def test_once_disclosure_was_refused_hidden_sub_contracting_and_map_gaps_count():
    flag = flags.refusal_of_transparency(
        record(
            requests=[request(kind="subcontractors", state="refused", id=1)],
            findings=[finding("TR_SUBCONTRACTOR", id=9)],
            undisclosed_subcontractors=3,
        )
    )
    assert said(flag.evidence_for) == [
        ("Request “subcontractors request” was refused.", "request:1"),
        ("Finding of 12 May 2026: TR_SUBCONTRACTOR found", "evidence:9"),
        ("Your map shows 3 undisclosed sub-contracting steps under this supplier.", ""),
    ]


def test_a_later_refused_visit_does_not_cancel_an_earlier_refused_disclosure():
    flag = flags.refusal_of_transparency(
        record(
            requests=[
                request(kind="subcontractors", state="refused", id=1),
                request(kind="visit", state="refused", id=2),
            ],
            undisclosed_subcontractors=2,
        )
    )
    assert "map_gaps" in codes(flag.evidence_for)


def test_a_question_listed_first_does_not_hide_a_refused_visit():
    flag = flags.refusal_of_transparency(
        record(requests=[request(id=1), request(kind="visit", state="refused", id=2)])
    )
    assert [fact.ref for fact in flag.evidence_for] == ["request:2"]


def test_a_new_account_has_its_own_grace_period_for_a_transparency_request():
    flag = flags.refusal_of_transparency(
        record(requests=[request(kind="visit", due_days_ago=60)], since=days_ago(10))
    )
    assert not flag.raised
    assert codes(flag.evidence_against) == ["new_account"]


def test_refusal_of_transparency_is_not_judged_for_an_account_that_cannot_see_the_record():
    flag = flags.refusal_of_transparency(
        record(requests=[request(kind="visit", state="refused")], shared=False)
    )
    assert flag.raised is False
    assert said(flag.evidence_against) == [
        (
            "The supplier's account has not accepted what you share, so it cannot see your "
            "requests and actions: they do not count against it.",
            "",
        )
    ]


def test_no_improvement_says_what_did_not_change_and_which_support_was_given():
    flag = flags.no_improvement(
        record(outcomes=[outcome(), outcome(latest=None, id=2)], support=[support()])
    )
    assert flag.raised is True
    assert said(flag.evidence_for) == [
        (
            "“Average weekly working hours” was 60 at the start and 60 on 22 May 2026: no "
            "improvement.",
            "action:1",
        ),
        ("Support given on 22 May 2025: Expert visit.", "support:1"),
        (
            "“Average weekly working hours” has had no confirmed measurement since the start.",
            "action:1",
        ),
    ]


def test_each_outcome_is_judged_on_its_own_and_says_why_it_does_not_count():
    """Improved, at its target, unsupported and still in its period (the plan started on
    2026-02-21, so it runs 365 days to 2027-02-21): none of them stops the flat outcome after them
    from being listed."""
    at_target = replace(outcome(baseline="0", latest="0", action_id=2, id=2), target=Decimal(0))
    flag = flags.no_improvement(
        record(
            outcomes=[
                outcome(baseline="66", latest="58", action_id=1, id=1),
                at_target,
                outcome(action_id=3, id=3),
                outcome(started_days_ago=100, action_id=4, id=4),
                outcome(action_id=5, id=5),
            ],
            support=[support(action_ids=(4, 5))],
            pushing_practices=["Price below the stated labour cost", "Rush orders"],
        )
    )
    assert flag.raised is False  # one outcome improved
    assert said(flag.evidence_against) == [
        (
            "Your own orders show practices that push towards overtime and sub-contracting: "
            "Price below the stated labour cost, Rush orders.",
            "",
        ),
        ("“Average weekly working hours” improved from 66 to 58.", "action:1"),
        ("“Average weekly working hours” is at its target (0).", "action:2"),
        (
            "No support is recorded for the actions behind “Average weekly working hours”: no "
            "improvement there cannot be held against the supplier yet.",
            "action:3",
        ),
        (
            "“Average weekly working hours”: the period you set to show improvement runs until "
            "21 Feb 2027.",
            "action:4",
        ),
    ]
    assert codes(flag.evidence_for) == ["outcome_flat", "support_given"]
    assert flag.evidence_for[0].ref == "action:5"


def test_without_outcomes_there_is_nothing_to_judge_improvement_by():
    flag = flags.no_improvement(record(support=[support()]))
    assert said(flag.evidence_against) == [
        (
            "The plans measure no outcomes in workers' conditions, so improvement cannot be "
            "judged.",
            "",
        )
    ]


def test_one_support_for_two_flat_outcomes_is_listed_once():
    flag = flags.no_improvement(
        record(
            outcomes=[outcome(action_id=1, id=1), outcome(action_id=2, id=2)],
            support=[support(action_ids=(1, 2))],
        )
    )
    assert codes(flag.evidence_for) == ["outcome_flat", "support_given", "outcome_flat"]


def test_support_given_today_is_support_and_starts_the_period():
    flag = flags.no_improvement(record(outcomes=[outcome()], support=[support(given_days_ago=0)]))
    assert said(flag.evidence_against) == [
        (
            "“Average weekly working hours”: the period you set to show improvement runs until "
            "1 Jun 2027.",
            "action:1",
        )
    ]


def test_support_promised_for_later_does_not_hide_support_already_given():
    flag = flags.no_improvement(
        record(
            outcomes=[outcome()],
            support=[support(given_days_ago=-5, id=2), support(id=1)],
        )
    )
    assert flag.raised
    assert [fact.ref for fact in flag.evidence_for] == ["action:1", "support:1"]


@pytest.mark.parametrize(
    ("given_days_ago", "raised"),
    [(PERIOD - 1, False), (PERIOD, True)],
    ids=["last-day-of-the-period", "the-day-after"],
)
def test_no_improvement_is_raised_once_the_last_day_of_the_period_is_over(given_days_ago, raised):
    """Support given 364 days ago: the 365-day period runs until tomorrow; 365 days ago: it ran
    until today, and today it can be judged."""
    flag = flags.no_improvement(
        record(outcomes=[outcome()], support=[support(given_days_ago=given_days_ago)])
    )
    assert flag.raised is raised


def test_there_is_no_next_step_once_every_escalation_step_was_taken():
    raised = flags.evaluate(record(requests=[request()]))
    assert flags.next_step(raised, steps_taken=flags.ESCALATION) is None


def test_evaluate_counts_silence_against_the_grace_period_staff_set():
    """Two requests 20 days past due: within the default 30 days, past a 14-day grace period."""
    quiet = record(
        requests=[request(due_days_ago=20, id=1), request(kind="visit", due_days_ago=20, id=2)]
    )
    assert [flag.raised for flag in flags.evaluate(quiet)] == [False, False, False, False]
    strict = flags.evaluate(quiet, grace_days=14)
    assert [flag.raised for flag in strict] == [True, True, False, False]
    assert [fact.ref for fact in strict[0].evidence_for + strict[1].evidence_for] == [
        "request:1",
        "request:2",
    ]
