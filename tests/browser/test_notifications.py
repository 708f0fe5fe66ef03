import pytest

from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supplier_manager_reads_notices_on_a_phone(phone, supplier_user, supplier_org):
    for n in range(3):
        notify(
            users=[supplier_user],
            organisation=supplier_org,
            kind="request",
            message=f"请在三月十日前上传第 {n + 1} 份培训记录。",
            url=f"/o/{supplier_org.slug}/",
        )
    log_in(phone, supplier_user.email)
    phone.goto("/notifications/")
    assert phone.locator(".me .badge").inner_text() == "3"
    # Nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    first = Notification.objects.order_by("-created_at", "-id").first()
    row = phone.locator(f"#notification-{first.pk}")
    row.locator("form[hx-post] button").click()
    row.locator("form[hx-post]").wait_for(state="detached")
    first.refresh_from_db()
    assert first.read_at is not None
