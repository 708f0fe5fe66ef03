"""A supplier's photos leave the phone made smaller, with the sending's progress shown."""

import base64

import pytest
from django.utils import timezone

from stonebridge.engagement.models import Attachment
from stonebridge.engagement.services import plans, relationships

from .test_pages import log_in
from .test_weight import SLOW_LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A phone camera's photo: 4000 by 3000 px, drawn in the page as a JPEG.
CAMERA_PHOTO = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 4000;
  canvas.height = 3000;
  const context = canvas.getContext("2d");
  const gradient = context.createLinearGradient(0, 0, 4000, 3000);
  gradient.addColorStop(0, "#2f5d62");
  gradient.addColorStop(1, "#f6c343");
  context.fillStyle = gradient;
  context.fillRect(0, 0, 4000, 3000);
  for (let i = 0; i < 400; i++) {
    context.fillStyle = `hsl(${(i * 37) % 360} 60% 50%)`;
    context.fillRect((i * 97) % 4000, (i * 53) % 3000, 120, 80);
  }
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  bytes.forEach((byte) => { text += String.fromCharCode(byte); });
  return btoa(text);
}"""

# Every state of the progress bar while the form is sent: shown or not, value, maximum.
WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  const bar = document.querySelector("#report progress");
  new MutationObserver(() => {
    window.progressSeen.push([!bar.closest("[hidden]"), bar.value, bar.max]);
  }).observe(bar.closest("[data-progress]"), { attributes: true, subtree: true });
}"""

IMAGE_SIZE = """async (encoded) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const image = await createImageBitmap(new Blob([bytes]));
  return [image.width, image.height];
}"""


def test_a_suppliers_photo_is_sent_at_1600_px_with_its_progress_shown(
    phone, buyer, owner, chain, supplier_org, supplier_user, tmp_path
):
    relationship = relationships.relationship_create(
        organisation=buyer,
        by=owner,
        facility=chain["processor"],
        supplier=supplier_org,
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    action = plans.action_create(
        plan=plan, by=owner, title="Wet cutting", issue="OHS", due_on=timezone.localdate()
    )
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/actions/{action.pk}/")
    photo = tmp_path / "车间.jpg"
    photo.write_bytes(base64.b64decode(phone.evaluate(CAMERA_PHOTO)))

    phone.fill("textarea[name=text]", "车间已改为湿法切割。")
    phone.set_input_files("input[name=files]", str(photo))
    phone.evaluate(WATCH_PROGRESS)
    # A slow link, so that the sending takes long enough to be seen.
    network = phone.context.new_cdp_session(phone)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_LINK)
    phone.click("text=发送给采购商")
    phone.wait_for_selector(".messages")
    assert "已发送" in phone.locator(".messages").inner_text()

    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.size < photo.stat().st_size
    encoded = base64.b64encode(bytes(attachment.content)).decode()
    assert phone.evaluate(IMAGE_SIZE, encoded) == [1600, 1200]
    seen = phone.evaluate("window.progressSeen")
    assert any(shown and 0 < value < maximum for shown, value, maximum in seen), seen
