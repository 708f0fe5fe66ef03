import pytest
from django.core.management import CommandError, call_command

from stonebridge.accounts.models import Invitation, Membership, Organisation


def test_it_creates_an_organisation_with_an_invitation_for_a_new_owner(db, capsys):
    call_command(
        "create_organisation",
        "marmo",
        "--kind",
        "buyer",
        "--name",
        "Marmo BV",
        "--owner",
        "Boss@Marmo.example",
    )
    organisation = Organisation.objects.get(slug="marmo")
    assert organisation.kind == "buyer"
    assert Invitation.objects.get(organisation=organisation).role == "owner"
    assert "/invite/" in capsys.readouterr().out


def test_it_makes_an_existing_person_the_owner(owner):
    call_command(
        "create_organisation",
        "marmo",
        "--kind",
        "covenant",
        "--name",
        "Marmo",
        "--owner",
        owner.email,
    )
    assert Membership.objects.get(organisation__slug="marmo").role == "owner"


def test_a_taken_slug_changes_nothing(buyer, owner):
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_organisation",
            buyer.slug,
            "--kind",
            "buyer",
            "--name",
            "X",
            "--owner",
            "x@example.com",
        )
    assert Organisation.objects.count() == 1
    assert not Invitation.objects.exists()
