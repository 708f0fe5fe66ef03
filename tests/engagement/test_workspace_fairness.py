"""What the supplier is told: what counts, why a red flag stands and what resolves it, its own
history, and a disclosure form that invites rather than accuses."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.models import Request
from stonebridge.engagement.services import disclosure, escalation, measures, plans, relationships

from ..conftest import OrganisationFactory, client_for, member

TODAY = timezone.localdate()


def zh(text: str) -> str:
    """What the supplier's manager, who reads Chinese, sees for a message, as the page holds it."""
    with translation.override("zh-hans"):
        return escape(translation.gettext(text))


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def question(relationship, owner):
    return disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text="Who recruits?", due_on=TODAY
    )


def answer_page(supplier_org, question):
    return f"/o/{supplier_org.slug}/workspace/requests/{question.pk}/"


def test_refusing_without_a_reason_asks_for_one_on_its_field(supplier_org, supplier_user, question):
    response = client_for(supplier_user).post(
        answer_page(supplier_org, question), {"refuse": "on", "answer": ""}
    )
    body = response.content.decode()
    reason_field = body[body.index('id="id_reason"') :]
    assert zh("Tell your buyer why you cannot provide this.") in reason_field
    question.refresh_from_db()
    assert question.state == Request.State.OPEN


def test_the_refusal_page_says_the_buyer_sees_it(supplier_org, supplier_user, question):
    body = client_for(supplier_user).get(answer_page(supplier_org, question)).content.decode()
    assert (
        zh(
            "Your buyer will see that you cannot provide it, and your reason. A refusal counts "
            "towards a red flag; with a reason, your buyer can look for another way with you."
        )
        in body
    )


def test_the_buyer_sees_the_reason_for_a_refusal(
    buyer, owner, relationship, supplier_org, supplier_user, question
):
    client_for(supplier_user).post(
        answer_page(supplier_org, question), {"refuse": "on", "reason": "员工名单涉及个人信息。"}
    )
    question.refresh_from_db()
    assert question.state == Request.State.REFUSED
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/{relationship.pk}/")
    assert "员工名单涉及个人信息。" in page.content.decode()


def test_the_supplier_sees_a_standing_red_flag_with_what_would_resolve_it(
    relationship, supplier_org, supplier_user, question
):
    home = f"/o/{supplier_org.slug}/workspace/"
    assert 'id="concerns"' not in client_for(supplier_user).get(home).content.decode()
    disclosure.request_answer(request=question, by=supplier_user, refuse=True, reason="不方便")
    escalation.flags_refresh(relationship=relationship, today=TODAY)
    body = client_for(supplier_user).get(home).content.decode()
    card = body[body.index('id="concerns"') :]
    assert (
        zh("Some of your buyer's requests or actions have had no answer, or were refused.") in card
    )
    assert (
        zh(
            "Answer the open requests and report progress on your actions. If you need more "
            "time, propose a new due date; if you cannot provide something, say why."
        )
        in card
    )


def test_the_accept_card_says_what_the_buyer_sees_and_what_counts(
    buyer, owner, chain, supplier_org, supplier_user
):
    relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["workshop"], supplier=supplier_org
    )
    body = client_for(supplier_user).get(f"/o/{supplier_org.slug}/workspace/").content.decode()
    asking = body[body.index('id="asking"') :]
    assert (
        zh(
            "The buyer will see your answers, progress reports and measurements, what you disclose "
            "about this site, and who you name as working for it. Only requests left unanswered or "
            "refused, actions not worked on, and no improvement despite the buyer's support count "
            "towards a red flag. Telling your buyer about a problem never does."
        )
        in asking
    )


BUYER_ONLY = [
    "This plan measures steps taken but no outcome in workers' conditions. Add an outcome "
    "indicator such as weekly hours, contracts, insurance, dust or injuries.",
    "No measure yet. Add an outcome in workers' conditions, not only milestones.",
    "Set baseline and target",
]


def test_buyer_only_instructions_never_reach_the_supplier(
    buyer, owner, relationship, supplier_org, supplier_user, question
):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Papers")
    bare = plans.action_create(
        plan=plan, by=owner, title="Write a policy", issue="OHS", due_on=TODAY
    )
    measured = plans.action_create(plan=plan, by=owner, title="Hours", issue="OHS", due_on=TODAY)
    measures.measure_add(action=measured, by=owner, kind="outcome", title="Dust", unit="mg")
    buyer_plan = client_for(owner).get(f"/o/{buyer.slug}/engagement/plans/{plan.pk}/")
    assert 'id="without-baseline"' in buyer_plan.content.decode()
    w = f"/o/{supplier_org.slug}/workspace/"
    pages = [
        w,
        f"{w}plans/{plan.pk}/",
        f"{w}actions/{bare.pk}/",
        f"{w}actions/{measured.pk}/",
        f"{w}requests/{question.pk}/",
        f"{w}history/",
        f"{w}{relationship.pk}/disclose/",
    ]
    client = client_for(supplier_user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for hint in BUYER_ONLY:
            assert hint not in body, (url, hint)
            assert zh(hint) not in body, (url, hint)
        assert 'id="only-milestones"' not in body, url
        assert 'id="without-baseline"' not in body, url


def test_the_history_lists_what_the_supplier_told_its_buyers_newest_first(
    buyer, owner, relationship, supplier_org, supplier_user, question
):
    code = relationships.code_publish(
        organisation=buyer, by=owner, title="Noordsteen code", text_en="Be fair.", text_zh="公平。"
    )
    commitment = relationships.code_send(relationship=relationship, by=owner, code=code)
    relationships.code_acknowledge(commitment=commitment, by=supplier_user)
    disclosure.request_answer(request=question, by=supplier_user, answer="劳务公司甲")
    disclosure.finding_disclose(
        relationship=relationship,
        by=supplier_user,
        issue="OHS",
        summary="切割车间粉尘偏高。",
        observed_on=TODAY,
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    action = plans.action_create(
        plan=plan, by=owner, title="Wet cutting", issue="OHS", due_on=TODAY
    )
    plans.update_post(action=action, by=supplier_user, by_supplier=True, text="已装喷水装置。")
    body = (
        client_for(supplier_user).get(f"/o/{supplier_org.slug}/workspace/history/").content.decode()
    )
    history = body[body.index('id="history"') :]
    found = [
        history.index(text)
        for text in ("已装喷水装置", "切割车间粉尘偏高", "劳务公司甲", "Noordsteen code")
    ]
    assert found == sorted(found)


def test_the_history_is_the_suppliers_own_and_not_found_for_others(
    relationship, supplier_org, supplier_user
):
    url = f"/o/{supplier_org.slug}/workspace/history/"
    assert client_for(supplier_user).get(url).status_code == 200
    stranger = member(OrganisationFactory(slug="elsewhere", kind=Organisation.Kind.SUPPLIER))
    assert client_for(stranger).get(url).status_code == 404


def test_the_suppliers_own_audit_log_shows_what_its_people_did(
    supplier_org, supplier_user, question
):
    disclosure.request_answer(request=question, by=supplier_user, answer="劳务公司甲")
    body = client_for(supplier_user).get(f"/o/{supplier_org.slug}/audit/").content.decode()
    assert zh("Request answered") in body


def disclose_url(supplier_org, relationship):
    return f"/o/{supplier_org.slug}/workspace/{relationship.pk}/disclose/"


def options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def test_the_detailed_list_follows_the_kind_of_problem(relationship, supplier_org, supplier_user):
    client = client_for(supplier_user)
    url = disclose_url(supplier_org, relationship)
    first = client.get(url).content.decode()
    assert options(first, "indicator") == [zh("Please choose")]
    assert options(first, "issue")[0] == zh("Please choose")
    forced = client.get(url, {"issue": "FORCED_LABOUR"}).content.decode()
    listed = options(forced, "indicator")
    assert zh("Identity documents kept by someone else (employer, agent, dormitory)") in listed
    assert "扣押身份证件" not in listed  # the offence's name reads as self-accusation
    assert all("FL_" not in label for label in listed)
    # Without JavaScript: a button asks for the list and keeps what was typed.
    chosen = client.post(url, {"issue": "OHS", "summary": "粉尘。", "choose": "1"}).content.decode()
    assert zh(
        "Identity documents kept by someone else (employer, agent, dormitory)"
    ) not in options(chosen, "indicator")
    assert len(options(chosen, "indicator")) > 1
    assert "粉尘。" in chosen
