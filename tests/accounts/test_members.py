from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stonebridge.accounts.models import Membership

from ..conftest import OrganisationFactory, client_for, member


def test_an_owner_changes_a_role_inline(owner, viewer, buyer):
    membership = Membership.objects.get(user=viewer)
    response = client_for(owner).post(
        reverse("accounts:member_role", args=[buyer.slug, membership.pk]),
        {"role": "editor"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="member-{membership.pk}"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_the_last_owner_cannot_step_down(owner, buyer):
    membership = Membership.objects.get(user=owner)
    response = client_for(owner).post(
        reverse("accounts:member_role", args=[buyer.slug, membership.pk]),
        {"role": "viewer"},
        HTTP_HX_REQUEST="true",
    )
    assert "at least one owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_an_editor_cannot_manage_people(editor, viewer, buyer):
    membership = Membership.objects.get(user=viewer)
    response = client_for(editor).post(
        reverse("accounts:member_role", args=[buyer.slug, membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_removing_someone_asks_first(owner, viewer, buyer):
    membership = Membership.objects.get(user=viewer)
    url = reverse("accounts:member_remove", args=[buyer.slug, membership.pk])
    page = client_for(owner).get(url)
    assert "will no longer see anything" in page.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client_for(owner).post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_organisation_is_not_found(owner, buyer, other_buyer):
    theirs = Membership.objects.get(user=other_buyer)
    response = client_for(owner).post(
        reverse("accounts:member_role", args=[buyer.slug, theirs.pk]), {"role": "viewer"}
    )
    assert response.status_code == 404


def test_people_are_searched_and_paged(owner, buyer):
    for n in range(55):
        member(buyer, "viewer", email=f"worker{n:02d}@noordsteen.example", name=f"Person {n:02d}")
    client = client_for(owner)
    page1 = client.get(reverse("accounts:members", args=[buyer.slug])).content.decode()
    assert "Page 1 of 2" in page1
    found = client.get(
        reverse("accounts:members", args=[buyer.slug]), {"q": "worker07"}
    ).content.decode()
    assert "worker07@" in found
    assert "worker08@" not in found
    nothing = client.get(
        reverse("accounts:members", args=[buyer.slug]), {"q": "zzz"}
    ).content.decode()
    assert "Nobody matches this search." in nothing


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_people_list_does_not_query_per_row(owner, buyer):
    client = client_for(owner)
    url = reverse("accounts:members", args=[buyer.slug])
    few = queries_for(client, url)
    for _ in range(30):
        member(buyer, "viewer")
    assert queries_for(client, url) == few


def test_organisations_are_listed_in_the_switcher(owner, buyer):
    second = OrganisationFactory(name="Second Buyer Ltd")
    member_of_second = Membership.objects.create(user=owner, organisation=second, role="viewer")
    page = (
        client_for(owner).get(reverse("accounts:organisation", args=[buyer.slug])).content.decode()
    )
    assert "Second Buyer Ltd" in page
    assert member_of_second.organisation.slug in page
