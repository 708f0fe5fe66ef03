"""With a read replica, marked list pages read their rows from it; nothing else does. The replica
here is the test database itself (TEST MIRROR), as the settings add it from DATABASE_REPLICA_URL."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stonebridge.accounts.models import Membership
from stonebridge.replicas import ReplicaRouter, reading_from_replica
from stonebridge.risk.models import Score
from stonebridge.supplychain.models import Facility
from tests.conftest import client_for

BOTH = ["default", "replica"]
router = ReplicaRouter()


@pytest.fixture
def replica_on(settings):
    settings.REPLICA_READS = True


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_register_reads_its_rows_from_the_replica(replica_on, buyer, owner):
    client = client_for(owner)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as default,
    ):
        response = client.get(reverse("risk:register", args=[buyer.slug]))
    assert response.status_code == 200
    assert any("risk_" in q["sql"] for q in replica.captured_queries)
    # Who may see the page is decided on the primary, always.
    assert any("accounts_membership" in q["sql"] for q in default.captured_queries)
    assert not any("accounts_" in q["sql"] for q in replica.captured_queries)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_facility_list_and_the_map_read_from_the_replica(replica_on, buyer, owner):
    client = client_for(owner)
    for name in ("supplychain:facilities", "supplychain:overview"):
        with CaptureQueriesContext(connections["replica"]) as replica:
            assert client.get(reverse(name, args=[buyer.slug])).status_code == 200
        assert any("supplychain_" in q["sql"] for q in replica.captured_queries), name


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_form_sent_to_a_marked_page_reads_the_primary(replica_on, buyer, owner):
    client = client_for(owner)
    with CaptureQueriesContext(connections["replica"]) as replica:
        client.post(reverse("supplychain:facilities", args=[buyer.slug]), {})
    assert replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_after_a_write_come_from_the_primary(replica_on):
    with reading_from_replica():
        assert router.db_for_read(Facility) == "replica"
        router.db_for_write(Facility)
        assert router.db_for_read(Facility) == "default"
    with reading_from_replica():
        assert router.db_for_read(Facility) == "replica"  # a new page, a new start


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_in_a_transaction_come_from_the_primary(replica_on):
    with reading_from_replica():
        with transaction.atomic():
            assert router.db_for_read(Score) == "default"
        assert router.db_for_read(Score) == "replica"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_access_is_never_read_from_the_replica(replica_on):
    with reading_from_replica():
        assert router.db_for_read(Membership) == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_a_replica_everything_reads_the_primary(settings):
    settings.REPLICA_READS = False
    with reading_from_replica():
        assert router.db_for_read(Facility) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "risk")
    assert not router.allow_migrate("replica", "risk")
