"""Keeping the shared registry clean: one record per firm, found by its credit code, and a code
from another province pointed out."""

import importlib
import os
import subprocess
import sys

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from stonebridge.accounts.services import api_token_create
from stonebridge.supplychain import firms, services
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.models import Facility

from ..conftest import client_for


def code(division: str, serial: str = "MA2Y4KD71") -> str:
    first17 = "91" + division + serial
    return first17 + credit_code_check_character(first17)


NAN_AN_CODE = code("350583")


@pytest.fixture
def api(editor):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=editor, name='t')[1]}")


@pytest.fixture
def xinyuan(buyer, owner):
    return services.facility_create(
        organisation=buyer,
        by=owner,
        kind="processor",
        name_zh="南安市水头鑫源石材厂",
        name_en="Nan'an Shuitou Xinyuan Stone Factory",
        province="福建省",
        city="泉州市",
        address="福建省南安市水头镇五里桥工业区88号",
        credit_code=NAN_AN_CODE,
    )


# Search by credit code -----------------------------------------------------------------------


def test_the_facility_list_finds_a_facility_by_its_credit_code(xinyuan, buyer, editor):
    url = reverse("supplychain:facilities", args=[buyer.slug])
    client = client_for(editor)
    assert "南安市水头鑫源石材厂" in client.get(url, {"q": NAN_AN_CODE}).content.decode()
    # typed in lower case, with spaces, or only its start with the division code
    spaced = f"{NAN_AN_CODE[:6].lower()} {NAN_AN_CODE[6:12]} {NAN_AN_CODE[12:]}"
    assert "南安市水头鑫源石材厂" in client.get(url, {"q": spaced}).content.decode()
    assert "南安市水头鑫源石材厂" in client.get(url, {"q": NAN_AN_CODE[:8]}).content.decode()
    other = code("370683")
    assert "南安市水头鑫源石材厂" not in client.get(url, {"q": other}).content.decode()


def test_the_api_and_the_supplier_picker_find_a_facility_by_its_credit_code(
    xinyuan, buyer, editor, api
):
    found = api.get(f"/api/organisations/{buyer.slug}/facilities", {"q": NAN_AN_CODE}).json()
    assert [f["id"] for f in found["items"]] == [xinyuan.pk]
    picker = client_for(editor).get(
        reverse("supplychain:facility_pick", args=[buyer.slug]), {"q": NAN_AN_CODE}
    )
    assert f'value="{xinyuan.pk}"' in picker.content.decode()


# A code from another province ----------------------------------------------------------------


def test_a_code_issued_in_another_province_is_saved_with_a_warning(buyer, editor):
    client = client_for(editor)
    response = client.post(
        reverse("supplychain:facility_new", args=[buyer.slug]),
        {
            "kind": "quarry",
            "name_zh": "五莲县鸿运石材矿",
            "country": "CN",
            "province": "山东省",
            "credit_code": NAN_AN_CODE,
        },
        follow=True,
    )
    facility = Facility.objects.get(name_zh="五莲县鸿运石材矿")
    assert facility.credit_code == NAN_AN_CODE  # kept: companies move
    body = response.content.decode()
    assert "issued in 福建省" in body
    assert body.count("the province given is 山东省") == 2  # the message and the page itself


def test_the_api_gives_the_province_warning_and_no_warning_when_they_agree(api, buyer):
    url = f"/api/organisations/{buyer.slug}/facilities"
    moved = api.post(
        url,
        {
            "kind": "quarry",
            "name_zh": "五莲县鸿运石材矿",
            "province": "Shandong",
            "credit_code": NAN_AN_CODE,
        },
        content_type="application/json",
    )
    assert moved.status_code == 201
    assert "福建省" in moved.json()["warnings"][0]
    home = api.post(
        url,
        {
            "kind": "processor",
            "name_zh": "惠安县崇武永兴雕刻厂",
            "province": "福建",
            "credit_code": code("350521"),
        },
        content_type="application/json",
    )
    assert home.status_code == 201
    assert home.json()["warnings"] == []


# Candidates before a facility is added twice -------------------------------------------------


def new_facility(client, buyer, **values):
    return client.post(
        reverse("supplychain:facility_new", args=[buyer.slug]),
        {"kind": "processor", "country": "CN", **values},
    )


def test_adding_a_facility_with_a_similar_name_shows_the_candidate_first(xinyuan, buyer, editor):
    client = client_for(editor)
    # the same firm written with its legal form and without the town
    response = new_facility(client, buyer, name_zh="南安鑫源石材有限公司", city="泉州市")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Is it one of these?" in body
    assert reverse("supplychain:facility", args=[buyer.slug, xinyuan.pk]) in body
    assert "Similar name." in body
    assert Facility.objects.count() == 1
    confirmed = new_facility(
        client, buyer, name_zh="南安鑫源石材有限公司", city="泉州市", confirm_new="1"
    )
    assert confirmed.status_code == 302
    assert Facility.objects.count() == 2


def test_the_same_address_or_english_name_is_a_candidate_too(xinyuan, buyer, editor):
    client = client_for(editor)
    same_address = new_facility(
        client, buyer, name_zh="水头某某石业", address="南安市水头镇五里桥工业区88号"
    )
    assert "Same address." in same_address.content.decode()
    english = new_facility(client, buyer, name_en="Shuitou Xinyuan Stone Co., Ltd.")
    assert "Is it one of these?" in english.content.decode()
    assert Facility.objects.count() == 1


def test_a_credit_code_already_in_the_registry_offers_only_the_existing_facility(
    xinyuan, buyer, editor
):
    response = new_facility(
        client_for(editor), buyer, name_zh="泉州某石材公司", credit_code=NAN_AN_CODE
    )
    body = response.content.decode()
    assert "Same unified social credit code." in body
    assert 'name="confirm_new"' not in body
    assert Facility.objects.count() == 1


def test_a_facility_unlike_any_other_is_added_at_once(xinyuan, buyer, editor):
    response = new_facility(client_for(editor), buyer, name_zh="五莲县鸿运石材矿")
    assert response.status_code == 302
    assert Facility.objects.count() == 2


def test_the_api_answers_409_with_the_candidates_until_confirmed(xinyuan, buyer, api):
    url = f"/api/organisations/{buyer.slug}/facilities"
    payload = {"kind": "processor", "name_zh": "南安市水头鑫源石材有限公司"}
    asked = api.post(url, payload, content_type="application/json")
    assert asked.status_code == 409
    candidate = asked.json()["candidates"][0]
    assert candidate["id"] == xinyuan.pk
    assert candidate["credit_code"] == NAN_AN_CODE
    assert candidate["similar_name"] is True
    assert Facility.objects.count() == 1
    added = api.post(url, {**payload, "confirm_new": True}, content_type="application/json")
    assert added.status_code == 201
    assert Facility.objects.count() == 2


def test_what_an_import_needs_of_a_facility_s_names_follows_its_names(buyer, owner):
    facility = services.facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="厦门海辰石业有限公司"
    )
    kept = firms.kept(facility.name_parts, facility.name_zh, facility.name_en)
    assert kept.words == ("xiamen haichen shiye youxian gongsi",)
    services.facility_update(
        facility=facility, organisation=buyer, by=owner, name_en="Xiamen Haichen Stone Co."
    )
    facility.refresh_from_db()
    kept = firms.kept(facility.name_parts, facility.name_zh, facility.name_en)
    assert kept.words == ("xiamen haichen shiye youxian gongsi", "xiamen haichen stone co")
    # Read back, the parts are what parsing the names gives.
    assert kept.parsed == firms.Firm(name_zh=facility.name_zh, name_en=facility.name_en).parsed
    assert [parsed.core for parsed in kept.parsed] == ["厦门海辰", "xiamen haichen"]


def test_parts_kept_for_other_names_are_not_taken_for_these(buyer, owner):
    facility = services.facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="厦门海辰石业有限公司"
    )
    # Renamed by a path that does not prepare the facility: its parts no longer fit.
    Facility.objects.filter(pk=facility.pk).update(name_zh="厦门鑫源石材厂")
    assert firms.kept(facility.name_parts, "厦门鑫源石材厂", "") is None
    assert firms.kept("", facility.name_zh, "") is None


def test_the_registry_s_facilities_are_given_what_an_import_needs_of_their_names(db):
    upgrade = importlib.import_module("stonebridge.supplychain.migrations.0010_facility_name_parts")
    old = Facility.objects.create(kind="quarry", name_zh="五莲县叩官镇石材矿", name_en="")
    upgrade.fill(django_apps, None)
    old.refresh_from_db()
    kept = firms.kept(old.name_parts, "五莲县叩官镇石材矿", "")
    assert kept.words == (firms.words("五莲县叩官镇石材矿"),)
    assert kept.words[0].startswith("wulian xian")


def test_parts_kept_by_one_worker_are_taken_by_another():
    # Each process orders sets by its own hash seed; what is kept must not depend on it.
    script = "from stonebridge.supplychain import firms; print(firms.keep('厦门海辰石业', ''))"
    kept = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    [text] = kept
    assert firms.kept(text.rstrip("\n"), "厦门海辰石业", "") is not None
