"""Bad input never reaches the server's error page.

Every page and every API route, enumerated as the access matrix does, is sent what no form would
send: ids beyond 64 bits, page numbers of 10^20, integers no column holds, text with a NUL
character. Each gets a 404 or a 422 with the field named, never a 500, on SQLite and PostgreSQL.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from stonebridge.accounts.services import api_token_create
from stonebridge.inputs import MAX_ID, IdConverter

from .accounts import test_access_matrix as matrix
from .accounts.test_access_matrix import (
    WORKSPACE,
    api_operations,
    api_url,
    example_body,
    page_routes,
)
from .conftest import client_for

# The access matrix's world: a buyer's chain, a relationship, a plan and an action.
matrix_world = matrix.world

HUGE = 10**20
NUL_TEXT = "a\x00b"
MARK = 987654321  # an id no row has, replaced by HUGE in the URL


def as_insider(name, matrix_world, owner, supplier_user, supplier_org):
    if name.startswith(WORKSPACE):
        return {**matrix_world, "org": supplier_org.slug}, supplier_user
    return matrix_world, owner


def integer_keys(pattern):
    return [
        key
        for key, converter in pattern.pattern.converters.items()
        if isinstance(converter, IntConverter | IdConverter)
    ]


class Forms(HTMLParser):
    """A page's forms: (method, action) and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append((method, attrs.get("action") or "", set()))
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1][2].add(attrs["name"])


def page_forms(response, method):
    parser = Forms()
    parser.feed(response.content.decode(errors="replace"))
    return [(action, fields) for m, action, fields in parser.forms if m == method]


@pytest.fixture
def quiet_client():
    def make(user):
        client = client_for(user)
        client.raise_request_exception = False
        return client

    return make


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_id_beyond_64_bits_is_not_found(
    matrix_world, owner, supplier_user, supplier_org, quiet_client
):
    tried = 0
    for name, pattern in page_routes():
        values, user = as_insider(name, matrix_world, owner, supplier_user, supplier_org)
        for key in integer_keys(pattern):
            kwargs = {k: (MARK if k == key else values[k]) for k in pattern.pattern.converters}
            url = reverse(name, kwargs=kwargs).replace(str(MARK), str(HUGE))
            client = quiet_client(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, (name, key, method, response.status_code)
            tried += 1
    assert tried >= 30


@pytest.mark.django_db
def test_page_filters_and_page_numbers_out_of_range_never_fail(
    matrix_world, owner, supplier_user, supplier_org, quiet_client
):
    for name, pattern in page_routes():
        if name.startswith(("api", "accounts:logout", "accounts:language")):
            continue
        values, user = as_insider(name, matrix_world, owner, supplier_user, supplier_org)
        client = quiet_client(user)
        url = reverse(name, kwargs={k: values[k] for k in pattern.pattern.converters})
        page = client.get(url)
        if page.status_code != 200:
            continue
        names = {"page", "sort", "q"}.union(*(fields for _, fields in page_forms(page, "get")))
        huge = client.get(url, dict.fromkeys(names, str(HUGE)))
        assert huge.status_code in (200, 302, 404), (name, huge.status_code)
        nul = client.get(url, dict.fromkeys(names, NUL_TEXT))
        assert nul.status_code == 404, (name, nul.status_code)


@pytest.mark.django_db
def test_a_page_number_that_does_not_exist_is_not_found(matrix_world, owner, quiet_client):
    client = quiet_client(owner)
    url = reverse(
        "supplychain:facilities", kwargs={"org": owner.memberships.get().organisation.slug}
    )
    assert client.get(url, {"page": "1"}).status_code == 200
    for page in (str(HUGE), "0", "-1", "2", "abc"):
        assert client.get(url, {"page": page}).status_code == 404, page


@pytest.mark.django_db
def test_every_page_form_refuses_huge_numbers_and_nul_text(
    matrix_world, owner, supplier_user, supplier_org, quiet_client
):
    posted = 0
    for name, pattern in page_routes():
        if name.startswith("api"):
            continue
        values, user = as_insider(name, matrix_world, owner, supplier_user, supplier_org)
        client = quiet_client(user)
        url = reverse(name, kwargs={k: values[k] for k in pattern.pattern.converters})
        page = client.get(url)
        if page.status_code != 200:
            continue
        for action, fields in page_forms(page, "post"):
            for bad in (str(HUGE), NUL_TEXT):
                data = dict.fromkeys(fields - {"csrfmiddlewaretoken"}, bad)
                response = client.post(action or url, data)
                assert response.status_code in (200, 302, 400, 403, 404), (
                    name,
                    action,
                    bad,
                    response.status_code,
                )
            posted += 1
    assert posted >= 10


@pytest.mark.django_db
def test_a_form_names_the_field_holding_a_nul(owner, buyer):
    response = client_for(owner).post(
        reverse("supplychain:facility_new", kwargs={"org": buyer.slug}),
        {"kind": "quarry", "name_zh": "五莲\x00石场", "country": "CN"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def api_call(owner, supplier_user):
    tokens = {
        "owner": api_token_create(user=owner, name="inputs")[1],
        "supplier": api_token_create(user=supplier_user, name="inputs")[1],
    }

    def call(method, url, body=None, persona="owner", **params):
        client = client_for(None)
        client.raise_request_exception = False
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"}
        if params:
            url = url + "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return getattr(client, method)(url, body, content_type="application/json", **headers)

    return call


def integers_in(node, schema):
    """Every integer a request schema holds, as (path, node)."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == "integer":
        yield node
    for child in [*node.get("anyOf", []), *node.get("allOf", [])]:
        yield from integers_in(child, schema)
    if "items" in node:
        yield from integers_in(node["items"], schema)
    for child in node.get("properties", {}).values():
        yield from integers_in(child, schema)


def test_every_integer_the_api_reads_is_bounded():
    for path, method, operation, schema in api_operations():
        nodes = [p["schema"] for p in operation.get("parameters", [])]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            nodes.append(body["schema"])
        for node in nodes:
            for integer in integers_in(node, schema):
                assert 0 <= integer.get("maximum", MAX_ID + 1) <= MAX_ID, (method, path, integer)


@pytest.mark.django_db
def test_an_api_path_id_beyond_64_bits_is_not_found(matrix_world, api_call):
    tried = 0
    for path, method, operation, schema in api_operations():
        ids = re.findall(r"{(\w+_id)}", path)
        for key in ids:
            url = api_url(path, {**matrix_world, key: HUGE})
            response = api_call(method, url, example_body(operation, schema))
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.json() == {"detail": "Not found."}
            tried += 1
    assert tried >= 20


@pytest.mark.django_db
def test_api_query_integers_out_of_range_are_refused_by_name(matrix_world, api_call):
    tried = 0
    for path, method, operation, _schema in api_operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            url = api_url(path, matrix_world)
            if parameter["schema"].get("type") == "integer" or "anyOf" in parameter["schema"]:
                response = api_call(method, url, **{parameter["name"]: HUGE})
                if parameter["schema"].get("type") == "integer" or any(
                    s.get("type") == "integer" for s in parameter["schema"]["anyOf"]
                ):
                    assert response.status_code == 422, (path, parameter["name"], response.content)
                    tried += 1
            response = api_call(method, url, **{parameter["name"]: "a%00b"})
            assert response.status_code == 422, (path, parameter["name"], response.status_code)
            fields = [e["field"] for e in response.json()["errors"]]
            assert fields == [parameter["name"]], (path, fields)
    assert tried >= 15


def body_fields(operation, schema):
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    node = content["schema"]
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node.get("properties", {})


def accepts(node, kind, schema):
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == kind and "enum" not in node and "format" not in node:
        return True
    return any(accepts(child, kind, schema) for child in node.get("anyOf", []))


@pytest.mark.django_db
def test_api_bodies_refuse_nul_text_and_huge_integers_by_field(matrix_world, api_call):
    tried = {"string": 0, "integer": 0}
    for path, method, operation, schema in api_operations():
        url = api_url(path, matrix_world)
        body = example_body(operation, schema)
        for field, node in body_fields(operation, schema).items():
            for kind, bad in (("string", NUL_TEXT), ("integer", HUGE)):
                if accepts(node, kind, schema) or (
                    node.get("type") == "array" and accepts(node["items"], kind, schema)
                ):
                    value = [bad] if node.get("type") == "array" else bad
                    response = api_call(method, url, {**body, field: value})
                    assert response.status_code == 422, (
                        method,
                        path,
                        field,
                        kind,
                        response.status_code,
                    )
                    fields = {e["field"].split(".")[0] for e in response.json()["errors"]}
                    assert field in fields, (method, path, field, response.json())
                    tried[kind] += 1
    assert tried["string"] >= 30
    assert tried["integer"] >= 8


@pytest.mark.django_db
def test_a_nul_in_an_api_path_is_not_found(matrix_world, api_call, buyer):
    response = api_call("get", f"/api/organisations/{buyer.slug}/facilities/1/risk/OHS%00")
    assert response.status_code == 404
    response = api_call("get", "/api/organisations/no%00such")
    assert response.status_code == 404


def test_every_operation_declares_the_errors_it_can_answer():
    for path, method, operation, _schema in api_operations():
        declared = set(operation["responses"])
        assert 422 in declared, (method, path)
        if "requestBody" in operation:
            assert 400 in declared, (method, path)
        if "{" in path:
            assert 404 in declared, (method, path)
        if operation.get("security"):
            assert 401 in declared, (method, path)


# Found by schemathesis on PostgreSQL: values Python accepts and the columns do not.


@pytest.mark.django_db
def test_a_time_with_an_offset_postgresql_lacks_is_compared_in_utc(matrix_world, api_call, buyer):
    url = f"/api/organisations/{buyer.slug}/audit"
    response = api_call("get", url, since="2026-01-05T10:00:00-19:47")
    assert response.status_code == 200
    response = api_call("get", url, since="0001-01-01T00:00:00%2B19:47")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["since"]


@pytest.mark.django_db
def test_a_number_beyond_its_column_is_refused_by_field(matrix_world, api_call, buyer):
    url = f"/api/organisations/{buyer.slug}/measures/{matrix_world['measure_id']}/readings"
    body = {"measured_on": "2026-01-05", "value": 6.0e225}
    response = api_call("post", url, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["value"]
