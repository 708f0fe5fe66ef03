"""Each kind of news reaches people under its own title: a new action is not "a new request",
an answer or a new measurement is not "a new report"."""

from datetime import timedelta
from decimal import Decimal

from django.utils import translation

from stonebridge.engagement.services import disclosure, measures, plans
from stonebridge.notifications.models import Notification

from .helpers import TODAY, new_action


def titles(user) -> list[str]:
    with translation.override(user.language):
        return [n.get_kind_display() for n in Notification.objects.filter(user=user)]


def test_each_kind_of_news_to_the_buyer_has_its_own_title(action, owner, supplier_user):
    relationship = action.plan.relationship
    Notification.objects.all().delete()
    plans.update_post(action=action, by=supplier_user, by_supplier=True, text="Started.")
    plans.due_date_propose(
        action=action, by=supplier_user, proposed_due_on=TODAY + timedelta(days=90), reason="Late."
    )
    measure = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="respirable_dust"
    )
    measures.reading_record(
        measure=measure, by=supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(1)
    )
    request = disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text="Agents?", due_on=TODAY
    )
    disclosure.request_answer(request=request, by=supplier_user, answer="None.")
    received = titles(owner)
    assert len(received) == 4
    assert sorted(received) == sorted(set(received))


def test_a_new_action_reaches_the_supplier_as_a_new_action_in_chinese(plan, owner, supplier_user):
    Notification.objects.all().delete()
    new_action(plan, owner)
    disclosure.request_create(
        relationship=plan.relationship, by=owner, kind="question", text="Agents?", due_on=TODAY
    )
    assert sorted(titles(supplier_user)) == ["收到新请求", "计划中有新措施"]
