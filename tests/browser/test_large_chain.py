"""A chain too large to draw node by node, in the browser: groups first, then one supplier's
own chain opened from the list of direct suppliers, and back."""

import pytest

from ..supplychain.test_large_chain import large_chain  # noqa: F401 (a fixture)
from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_suppliers_own_chain_opens_from_the_grouped_graph(page, owner, buyer, large_chain):  # noqa: F811
    log_in(page, owner.email)
    page.goto(f"/o/{buyer.slug}/chain/")
    # You, three groups (exporters, processors, quarries), the hidden sub-contractor, China.
    page.wait_for_selector("#chain-graph[data-rendered='6'] canvas")
    page.locator("[data-root]").first.click()
    # The table beside the graph holds its numbers (folded away until the reader opens it).
    page.wait_for_selector("#root-numbers:not([hidden])", state="attached")
    # The first exporter: its 40 processors, their 60 quarries and the sub-contracting step it did
    # not disclose, 101 links on one page; drawn with the exporter itself and China.
    assert page.locator("#root-numbers tbody tr").count() == 101
    assert page.locator("#chain-graph").get_attribute("data-rendered") == "103"
    assert page.locator("#chain-more").get_attribute("hidden") is not None
    page.click("#chain-whole")
    page.wait_for_selector("#chain-graph[data-rendered='6']")
    assert page.locator("#root-numbers").get_attribute("hidden") is not None
    assert page.csp_violations == []
