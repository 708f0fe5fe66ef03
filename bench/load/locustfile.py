"""What the simulated people do, for Locust (headless, started by bench/load/__main__.py).

Three kinds of people, each on a login of its own (bench/load/seed.py): buyers browsing the map,
the risk register (its pages and filters) and plans; suppliers reporting progress on an action
with a photo; API clients paging through lists with a token. Each request is named by its kind,
and every request is also written to LOAD_REQUEST_LOG with its time and status, so the result
printer can leave the database outage out of the error count and split a stepped run by step.
"""

import io
import json
import os
import random
import re
import time
from html import unescape

from locust import HttpUser, LoadTestShape, between, events, task
from PIL import Image

PEOPLE = json.load(open(os.environ["LOAD_USERS_FILE"]))  # noqa: SIM115
THINK = [float(s) for s in os.environ.get("LOAD_THINK", "2,10").split(",")]
NEXT = re.compile(r'rel="next" href="\?([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# LOAD_MAP_WEIGHT=0 leaves the chain map out, to see the rest when the map alone saturates.
MAP_WEIGHT = int(os.environ.get("LOAD_MAP_WEIGHT", "2"))
ISSUES = ["OHS", "HOURS_WAGES", "YOUTH", "CONTRACTS", "SOCIAL_SECURITY", "VOICE"]

_log = open(os.environ["LOAD_REQUEST_LOG"], "a", buffering=1)  # noqa: SIM115


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, **_kw):
    status = getattr(response, "status_code", 0) or 0
    kind = (getattr(response, "headers", None) or {}).get("Content-Type", "").split(";")[0]
    error = type(exception).__name__ if exception and not status else ""
    _log.write(f"{time.time():.3f}\t{name}\t{status}\t{response_time:.1f}\t{kind}\t{error}\n")


def _photo() -> bytes:
    """A phone-sized JPEG, made once: the server strips its EXIF and stores it like a real one."""
    image = Image.new("RGB", (1280, 960))
    image.putdata([((x * 7) % 256, (x * 13) % 256, (x * 3) % 256) for x in range(1280 * 960)])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


PHOTO = _photo()


def _take(kind: str) -> dict:
    """The next unused login of this kind; one login per simulated user."""
    pool = PEOPLE[kind]
    if not pool:
        raise RuntimeError(f"more simulated {kind} than seeded logins: raise LOAD_SEED_USERS")
    return pool.pop()


class Buyer(HttpUser):
    weight = 12
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", _take("buyers")["session"])
        self.org = PEOPLE["scale"]
        self.after = ""

    @task(MAP_WEIGHT)
    def map(self) -> None:
        self.client.get(f"/o/{self.org}/chain/", name="map")

    @task(4)
    def register(self) -> None:
        """The register, then its next pages as a person reads on."""
        url = f"/o/{self.org}/risks/" + (f"?{self.after}" if self.after else "")
        response = self.client.get(url, name="register page" if self.after else "register")
        found = NEXT.search(response.text or "")
        self.after = unescape(found.group(1)) if found and random.random() < 0.8 else ""

    @task(3)
    def register_filter(self) -> None:
        issue, tier = random.choice(ISSUES), random.randint(1, 4)
        self.client.get(
            f"/o/{self.org}/risks/?issue={issue}&tier={tier}",
            headers={"HX-Request": "true"},
            name="register filter",
        )

    @task(1)
    def register_clusters(self) -> None:
        self.client.get(
            f"/o/{self.org}/risks/?rows=cluster&issue={random.choice(ISSUES)}",
            name="register clusters",
        )

    @task(2)
    def facilities(self) -> None:
        self.client.get(
            f"/o/{self.org}/facilities/?page={random.randint(1, 20)}", name="facilities"
        )

    @task(2)
    def plans(self) -> None:
        org = PEOPLE["plans_org"]
        self.client.get(f"/o/{org}/engagement/", name="plans")
        if PEOPLE["plans"]:
            plan = random.choice(PEOPLE["plans"])
            self.client.get(f"/o/{org}/engagement/plans/{plan}/", name="plan")


class Supplier(HttpUser):
    weight = 5
    wait_time = between(*THINK)

    def on_start(self) -> None:
        me = _take("suppliers")
        self.client.cookies.set("sessionid", me["session"])
        self.org, self.actions = me["org"], me["actions"]

    @task(3)
    def workspace(self) -> None:
        self.client.get(f"/o/{self.org}/workspace/", name="supplier workspace")

    @task(2)
    def report_with_photo(self) -> None:
        """Open an action, then report progress on it with a photo, as on a phone."""
        action = random.choice(self.actions)
        page = self.client.get(f"/o/{self.org}/workspace/actions/{action}/", name="supplier action")
        token = CSRF.search(page.text or "")
        if not token:
            return  # the page failed; already counted
        self.client.post(
            f"/o/{self.org}/workspace/actions/{action}/report/",
            data={"csrfmiddlewaretoken": token.group(1), "text": "进展：已安装除尘设备。"},
            files={"files": ("photo.jpg", PHOTO, "image/jpeg")},
            headers={"Referer": f"{self.host}/o/{self.org}/workspace/actions/{action}/"},
            name="report with photo",
        )


class ApiClient(HttpUser):
    weight = 3
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {_take('api')['token']}"
        self.base = f"/api/organisations/{PEOPLE['scale']}"
        self.page = 1

    @task(3)
    def facilities(self) -> None:
        """Paging on through the registry, as a sync job does."""
        response = self.client.get(
            f"{self.base}/facilities?page={self.page}", name="api facilities"
        )
        more = response.ok and response.json().get("items")
        self.page = self.page + 1 if more and self.page < 200 else 1

    @task(2)
    def risks(self) -> None:
        self.client.get(
            f"{self.base}/risks?issue={random.choice(ISSUES)}&page={random.randint(1, 10)}",
            name="api risks",
        )

    @task(1)
    def links(self) -> None:
        self.client.get(f"{self.base}/links?page={random.randint(1, 20)}", name="api links")


class Steps(LoadTestShape):
    """The stepped run (LOAD_STEPS="users,seconds;users,seconds;..."): more users each step, to
    find the highest request rate at which p95 stays under target. Unused when not set."""

    use_common_options = True

    def __init__(self) -> None:
        super().__init__()
        spec = os.environ.get("LOAD_STEPS", "")
        self.steps = [tuple(int(x) for x in s.split(",")) for s in spec.split(";") if s]

    def tick(self):
        if not self.steps:
            return None
        elapsed, end = self.get_run_time(), 0
        for users, seconds in self.steps:
            end += seconds
            if elapsed < end:
                return users, max(users / 5, 5)
        return None


if not os.environ.get("LOAD_STEPS"):
    # Locust takes any LoadTestShape in the locustfile; without steps it would run none.
    del Steps
