from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stonebridge.supplychain import services
from stonebridge.supplychain.models import Facility, Link, Sourcing

from ..conftest import client_for


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_chain_overview_shows_transparency_and_the_data_for_graph_and_map(chain, owner, buyer):
    body = page(client_for(owner), reverse("supplychain:overview", args=[buyer.slug]))
    assert 'id="traced-share">60 %' in body
    assert 'id="undisclosed">1<' in body
    assert 'id="graph-data"' in body
    assert "vendor/geo/world.json" in body
    assert "厦门海辰石业有限公司" in body


def test_the_map_reads_as_a_table_of_where_the_facilities_are(chain, owner, buyer):
    body = page(client_for(owner), reverse("supplychain:overview", args=[buyer.slug]))
    table = body[body.index("Where the facilities of your chain are") :]
    # The reader's language first: English and pinyin, the hanzi beside them.
    name = (
        '<span lang="en">Xiamen Haichen Stone Co., Ltd.</span> '
        '<small lang="zh-Hans" class="muted">厦门海辰石业有限公司</small>'
    )
    row = table.split(name)[1].split("</tr>")[0]
    assert row == (
        '</td><td>1</td><td><span lang="zh-Latn-pinyin">Fujian Xiamen</span> '
        '<small lang="zh-Hans" class="muted">福建省 厦门市</small></td><td>24.48, 118.09</td>'
    )


def test_the_facility_list_filters_sorts_and_searches(chain, owner, buyer):
    client = client_for(owner)
    url = reverse("supplychain:facilities", args=[buyer.slug])
    assert "五莲县叩官镇石材矿" in page(client, url, kind="quarry")
    assert "五莲县叩官镇石材矿" not in page(client, url, kind="processor")
    tier2 = page(client, url, tier="2")
    assert "南安市水头鑫源石材厂" in tier2
    assert "厦门海辰石业有限公司" not in tier2
    assert "南安市水头鑫源石材厂" in page(client, url, activity="flaming")
    assert "五莲县叩官镇石材矿" in page(client, url, province="山东")
    assert "五莲县叩官镇石材矿" in page(client, url, stone="granite", q="wulian")
    nothing = page(client, url, q="no such stone works")
    assert "No facility matches" in nothing
    by_name = page(client, url, sort="name")
    assert by_name.index("Nan&#x27;an Shuitou") < by_name.index("Xiamen Haichen")


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_facility_list_costs_the_same_queries_for_3_or_60_rows(chain, owner, buyer):
    client = client_for(owner)
    url = reverse("supplychain:facilities", args=[buyer.slug]) + "?sort=tier"
    few = queries_for(client, url)
    Facility.objects.bulk_create(
        [Facility(kind="workshop", name_zh=f"作坊{i}", search_text=f"作坊{i}") for i in range(60)]
    )
    assert queries_for(client, url) == few


def test_a_viewer_sees_the_chain_but_cannot_add_to_it(chain, viewer, buyer):
    client = client_for(viewer)
    detail = page(client, reverse("supplychain:facility", args=[buyer.slug, chain["processor"].pk]))
    assert "Add a supplier of this facility" not in detail
    response = client.post(
        reverse("supplychain:link_new", args=[buyer.slug, chain["processor"].pk]),
        {"kind": "trades", "unknown": "on"},
    )
    assert response.status_code == 403


def test_an_editor_adds_a_facility_and_a_gap_through_the_forms(buyer, owner, editor):
    client = client_for(editor)
    response = client.post(
        reverse("supplychain:facility_new", args=[buyer.slug]),
        {
            "kind": "processor",
            "name_zh": "五莲县鸿运石材加工厂",
            "country": "CN",
            "city": "日照市",
            "activities": ["sawing", "splitting"],
        },
    )
    facility = Facility.objects.get(name_zh="五莲县鸿运石材加工厂")
    assert response["Location"] == reverse("supplychain:facility", args=[buyer.slug, facility.pk])
    assert facility.activity_list() == ["sawing", "splitting"]
    client.post(
        reverse("supplychain:sourcing", args=[buyer.slug, facility.pk]),
        {"annual_volume": "300", "currency": "EUR"},
    )
    assert Sourcing.objects.get(organisation=buyer).facility == facility
    client.post(
        reverse("supplychain:link_new", args=[buyer.slug, facility.pk]),
        {"kind": "supplies_blocks", "unknown": "on", "origin_country": "IN"},
    )
    gap = Link.objects.get(organisation=buyer)
    assert gap.supplier is None
    assert gap.origin_country == "IN"


def test_a_bad_credit_code_in_the_form_is_shown_on_the_field(buyer, editor):
    response = client_for(editor).post(
        reverse("supplychain:facility_new", args=[buyer.slug]),
        {"kind": "quarry", "name_zh": "某石场", "country": "CN", "credit_code": "123"},
    )
    assert response.status_code == 200
    assert 'class="field invalid"' in response.content.decode()
    assert not Facility.objects.exists()


def test_a_link_that_would_loop_is_a_form_error(chain, buyer, editor):
    response = client_for(editor).post(
        reverse("supplychain:link_new", args=[buyer.slug, chain["quarry"].pk]),
        {"kind": "trades", "supplier": chain["exporter"].pk},
    )
    assert "loop" in response.content.decode()


def test_the_supplier_picker_finds_by_pinyin(chain, editor, buyer):
    body = page(
        client_for(editor), reverse("supplychain:facility_pick", args=[buyer.slug]), q="wulian"
    )
    assert f'value="{chain["quarry"].pk}"' in body


def test_outsiders_do_not_see_the_buyers_links_on_a_shared_facility(
    chain, other_buyer, other_buyer_org
):
    services.sourcing_set(
        organisation=other_buyer_org, by=other_buyer, facility=chain["exporter"], annual_volume=1
    )
    body = page(
        client_for(other_buyer),
        reverse("supplychain:facility", args=[other_buyer_org.slug, chain["exporter"].pk]),
    )
    assert "南安市水头鑫源石材厂" not in body


def test_a_facility_other_buyers_rely_on_cannot_be_changed_from_outside_their_chain(
    chain, buyer, other_buyer_org, other_buyer
):
    url = reverse("supplychain:facility_edit", args=[other_buyer_org.slug, chain["quarry"].pk])
    response = client_for(other_buyer).post(
        url, {"kind": "quarry", "name_zh": "<img src=x>", "country": "CN"}
    )
    assert response.status_code == 403
    chain["quarry"].refresh_from_db()
    assert chain["quarry"].name_zh == "五莲县叩官镇石材矿"


def test_a_buyer_corrects_a_facility_in_its_own_chain(chain, buyer, editor):
    url = reverse("supplychain:facility_edit", args=[buyer.slug, chain["quarry"].pk])
    client_for(editor).post(
        url, {"kind": "quarry", "name_zh": "五莲县叩官镇花岗岩矿", "country": "CN"}
    )
    chain["quarry"].refresh_from_db()
    assert chain["quarry"].name_zh == "五莲县叩官镇花岗岩矿"


def test_a_match_answer_for_no_facility_is_not_found(buyer, editor):
    from stonebridge.supplychain.importing import import_start

    job = import_start(
        organisation=buyer,
        by=editor,
        data=b"kind,name_zh\nquarry,X\n",
        filename="a.csv",
        kind="facilities",
    )
    response = client_for(editor).post(
        reverse("supplychain:import_decide", args=[buyer.slug, job.pk]),
        {"candidate": "abc", "row_key": "x"},
    )
    assert response.status_code == 404


def test_a_candidate_shows_what_tells_firms_apart_and_defaults_to_a_new_facility(buyer, editor):
    from stonebridge.supplychain.importing import import_start

    known = Facility(
        kind="exporter",
        name_zh="厦门海辰石业有限公司",
        city="厦门",
        credit_code="91350200MA31XXXX1N",
        address="思明区环岛路1号",
        workers=35,
    )
    services.prepare_facility(known)
    known.save()
    job = import_start(
        organisation=buyer,
        by=editor,
        data="kind,name_zh,city\nprocessor,厦门海晨石业,厦门\n".encode(),
        filename="a.csv",
        kind="facilities",
    )
    body = page(client_for(editor), reverse("supplychain:import", args=[buyer.slug, job.pk]))
    assert "91350200MA31XXXX1N" in body
    assert "思明区环岛路1号" in body
    assert ">35<" in body
    form = body[body.index('class="decision"') :]
    buttons = form[: form.index("</form>")]
    # 海晨 is not 海辰: the button Enter presses is the one for a new facility.
    assert buttons.index('value="no"') < buttons.index('value="yes"')
    assert "Not the same: a new facility" in buttons


def test_the_overview_counts_one_gap_in_the_singular(chain, owner, buyer):
    body = page(client_for(owner), reverse("supplychain:overview", args=[buyer.slug]))
    assert "sub-contracting step not disclosed" in body
    assert "sub-contracting steps" not in body
    assert "facilities in your chain" in body


def test_the_facility_page_shows_the_traced_share_as_a_percentage(chain, owner, buyer):
    url = reverse("supplychain:facility", args=[buyer.slug, chain["processor"].pk])
    assert "traced to a known quarry: 60 %" in page(client_for(owner), url)
