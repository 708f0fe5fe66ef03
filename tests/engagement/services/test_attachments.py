"""Files sent with a report: checked by their bytes, stored with the update."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stonebridge.audit.models import Entry
from stonebridge.engagement.models import Attachment, Update
from stonebridge.engagement.services import plans

from .helpers import PNG, last_entry_id, new_entries

# --- updates with files -----------------------------------------------------------------------


def test_an_executable_posing_as_a_pdf_is_refused_and_nothing_is_written(action, supplier_user):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    before = last_entry_id()
    with pytest.raises(ValidationError) as refused:
        plans.update_post(
            action=action, by=supplier_user, by_supplier=True, text="见附件。", files=[fake]
        )
    assert "report.pdf" in str(refused.value)
    assert not Update.objects.exists()
    assert new_entries(before) == []


def test_a_photo_is_stored_with_the_update_and_counted_in_the_log(action, supplier_user):
    photo = SimpleUploadedFile("dust-extraction.png", PNG, "image/png")
    before = last_entry_id()
    update = plans.update_post(
        action=action, by=supplier_user, by_supplier=True, text="除尘设备已安装。", files=[photo]
    )
    (attachment,) = Attachment.objects.filter(update=update)
    assert attachment.name == "dust-extraction.png"
    assert attachment.content_type == "image/png"
    assert bytes(attachment.content) == PNG
    assert attachment.size == len(PNG)
    entry = Entry.objects.get(id__gt=before, organisation=action.plan.relationship.organisation)
    assert entry.changes["files"] == 1
