import io

import pytest
from django.core.management import call_command

from stonebridge.accounts.models import Organisation
from stonebridge.demo import voice_intake
from stonebridge.voice.models import Case, CaseState


@pytest.mark.django_db
def test_the_demo_files_open_and_closed_cases_once():
    call_command("seed_demo", stdout=io.StringIO())
    buyer = Organisation.objects.get(slug="noordsteen")
    assert len(voice_intake.build(buyer)) == 4
    assert Case.objects.filter(state=CaseState.CLOSED, worker_satisfied=True).count() == 1
    assert Case.objects.open().count() == 3
    assert voice_intake.build(buyer) == []
