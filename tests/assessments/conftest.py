import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stonebridge.engagement.services import relationships
from stonebridge.supplychain.services import facility_create

from . import records_data


@pytest.fixture
def relationship(buyer, owner, supplier_org, supplier_user):
    """Noordsteen's relationship with Haichen's sawing plant, shared with Haichen's account."""
    facility = facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="海辰石业锯板厂"
    )
    made = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=made, by=supplier_user, accept=True)


def files(**replaced):
    """The three files of the hand-made month, any of them replaced by other bytes."""
    contents = {
        "workers": records_data.workers(),
        "attendance": records_data.attendance(),
        "payroll": records_data.payroll(),
        **replaced,
    }
    return {kind: SimpleUploadedFile(f"{kind}.csv", content) for kind, content in contents.items()}
