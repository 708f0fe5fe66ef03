"""The demo buyer's home page draws where it stands as charts, in English and in Chinese: each
chart holds a drawing of its own size, every number is a link, and a link opens the filtered list
that holds as many rows as the number said. The fixture `page` fails the test on anything the
Content-Security-Policy blocked."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from stonebridge.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "stonebridge-demo"  # seed_demo prints it for everyone
BUYER = "owner@noordsteen.example"
# A count, or a share with one decimal at most: never "4200.0".
SHOWN_NUMBER = re.compile(r"^\d+(\.\d)?( %)?$")

# How many pixels of each chart's canvas are painted: a chart that failed to draw has none.
PAINTED = """(element) => {
  const canvas = element.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]) painted++;
  return painted;
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    return User.objects.get(email=BUYER)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Where you stand"), ("zh-hans", "您的尽职调查现状")]
)
def test_the_dashboard_draws_its_charts_and_its_numbers_open_their_lists(
    page, demo, language, title
):
    demo.language = language
    demo.save(update_fields=["language"])
    log_in(page, BUYER)
    page.goto(reverse("accounts:organisation", args=["noordsteen"]))
    page.wait_for_selector(f"html[lang={language}]")
    assert page.locator("#dashboard-title").inner_text() == title

    charts = page.locator("#dashboard .dashboard-chart")
    assert charts.count() >= 3
    page.wait_for_function(
        f"""() => [...document.querySelectorAll("#dashboard .dashboard-chart")]
            .every((element) => element.dataset.rendered && ({PAINTED})(element) > 500)"""
    )
    for n in range(charts.count()):
        chart = charts.nth(n)
        drawing = chart.locator("canvas, svg").first
        box = drawing.bounding_box()
        assert box is not None
        assert box["width"] > 100, chart.get_attribute("id")
        assert box["height"] > 50, chart.get_attribute("id")
        assert int(chart.get_attribute("data-rendered") or 0) > 0

    figures = page.locator("#dashboard .dashboard-figures a[data-figure]")
    assert figures.count() >= 10
    for n in range(figures.count()):
        link = figures.nth(n)
        assert (link.get_attribute("href") or "").startswith("/")
        number = link.locator(".figure").inner_text().strip()
        assert SHOWN_NUMBER.match(number), number

    # A bar of grievances by state, as a number beside its chart: the list it opens, filtered
    # by that state, holds that many cases.
    received = page.locator("#dashboard .dashboard-numbers a[data-figure^=case_]")
    counted = {
        received.nth(n).get_attribute("data-figure"): int(received.nth(n).inner_text())
        for n in range(received.count())
    }
    key, count = next((k, c) for k, c in counted.items() if c)
    page.click(f"#dashboard .dashboard-numbers a[data-figure={key}]")
    page.wait_for_url(re.compile(r"/voice/cases/\?state="))
    assert page.locator("main table.responsive tbody tr").count() == count
