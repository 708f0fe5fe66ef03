"""Facility names in the reader's script first, the other beside it: pages, graph and map."""

import json
import re

from django.urls import reverse

from stonebridge.languages import place_pinyin

from ..conftest import client_for


def test_an_english_reader_sees_the_english_name_first_with_the_hanzi_beside_it(
    chain, owner, buyer
):
    url = reverse("supplychain:facility", args=[buyer.slug, chain["exporter"].pk])
    body = client_for(owner).get(url).content.decode()
    assert (
        '<span lang="en">Xiamen Haichen Stone Co., Ltd.</span> '
        '<small lang="zh-Hans" class="muted">厦门海辰石业有限公司</small>'
    ) in body


def test_a_chinese_reader_sees_the_hanzi_first(chain, owner, buyer):
    owner.language = "zh-hans"
    owner.save()
    url = reverse("supplychain:facilities", args=[buyer.slug])
    body = client_for(owner).get(url).content.decode()
    assert (
        '<span lang="zh-Hans">厦门海辰石业有限公司</span> '
        '<small lang="en" class="muted">Xiamen Haichen Stone Co., Ltd.</small>'
    ) in body


def test_an_english_reader_sees_the_place_in_pinyin_with_the_hanzi_beside_it(chain, owner, buyer):
    url = reverse("supplychain:facility", args=[buyer.slug, chain["exporter"].pk])
    body = client_for(owner).get(url).content.decode()
    assert (
        '<span lang="zh-Latn-pinyin">Fujian Xiamen</span> '
        '<small lang="zh-Hans" class="muted">福建省 厦门市</small>'
    ) in body


def test_a_chinese_reader_sees_the_place_in_hanzi_alone(chain, owner, buyer):
    owner.language = "zh-hans"
    owner.save()
    url = reverse("supplychain:facility", args=[buyer.slug, chain["exporter"].pk])
    body = client_for(owner).get(url).content.decode()
    assert '<span lang="zh-Hans">福建省 厦门市</span>' in body
    assert "Fujian Xiamen" not in body


def test_place_names_in_pinyin_leave_out_the_unit_and_mark_a_vowel_syllable():
    assert [place_pinyin(name) for name in ("南安市", "内蒙古自治区", "沙县", "Fujian")] == [
        "Nan'an",
        "Neimenggu",
        "Shaxian",
        "Fujian",
    ]


def graph_and_places(body: str) -> tuple[dict, list]:
    def script(name: str):
        found = re.search(rf'<script[^>]*id="{name}"[^>]*>(.*?)</script>', body, re.S)
        assert found, name
        return json.loads(found.group(1))

    return script("graph-data"), script("places-data")


def test_graph_and_map_labels_name_both_in_the_reader_order(chain, owner, buyer):
    body = client_for(owner).get(reverse("supplychain:overview", args=[buyer.slug]))
    graph, places = graph_and_places(body.content.decode())
    label = "Xiamen Haichen Stone Co., Ltd. (厦门海辰石业有限公司)"
    assert label in [node["name"] for node in graph["nodes"]]
    assert label in [place["name"] for place in places]


def map_table(body: str) -> str:
    return body[body.index('<details class="numbers"><summary>', body.index('id="chain-map"')) :]


def test_the_map_table_names_the_facility_and_place_in_english_first(chain, owner, buyer):
    body = client_for(owner).get(reverse("supplychain:overview", args=[buyer.slug]))
    table = map_table(body.content.decode())
    assert (
        '<span lang="en">Xiamen Haichen Stone Co., Ltd.</span> '
        '<small lang="zh-Hans" class="muted">厦门海辰石业有限公司</small>'
    ) in table
    assert (
        '<span lang="zh-Latn-pinyin">Fujian Xiamen</span> '
        '<small lang="zh-Hans" class="muted">福建省 厦门市</small>'
    ) in table


def test_the_map_table_reads_in_hanzi_first_for_a_chinese_reader(chain, owner, buyer):
    owner.language = "zh-hans"
    owner.save()
    body = client_for(owner).get(reverse("supplychain:overview", args=[buyer.slug]))
    table = map_table(body.content.decode())
    assert (
        '<span lang="zh-Hans">厦门海辰石业有限公司</span> '
        '<small lang="en" class="muted">Xiamen Haichen Stone Co., Ltd.</small>'
    ) in table
    assert '<span lang="zh-Hans">福建省 厦门市</span>' in table


def test_a_name_known_only_in_hanzi_reads_in_pinyin_beside_it_for_an_english_reader(
    chain, owner, buyer
):
    body = client_for(owner).get(reverse("supplychain:overview", args=[buyer.slug]))
    graph, _places = graph_and_places(body.content.decode())
    labels = [node["name"] for node in graph["nodes"]]
    assert "Hui'an Xian Chongwu Yongxing Diaokechang (惠安县崇武永兴雕刻厂)" in labels
    assert "Wulian Xian Kouguan Zhen Shicai Kuang (五莲县叩官镇石材矿)" in labels
    # The table beside the graph names them the same way.
    assert "Hui&#x27;an Xian Chongwu Yongxing Diaokechang (惠安县崇武永兴雕刻厂)" in (
        body.content.decode()
    )
    facilities = client_for(owner).get(reverse("supplychain:facilities", args=[buyer.slug]))
    assert (
        '<span lang="zh-Latn-pinyin">Hui&#x27;an Xian Chongwu Yongxing Diaokechang</span> '
        '<small lang="zh-Hans" class="muted">惠安县崇武永兴雕刻厂</small>'
    ) in facilities.content.decode()


def test_a_chinese_reader_sees_a_hanzi_only_name_as_it_is_written(chain, owner, buyer):
    owner.language = "zh-hans"
    owner.save()
    body = client_for(owner).get(reverse("supplychain:overview", args=[buyer.slug]))
    graph, _places = graph_and_places(body.content.decode())
    labels = [node["name"] for node in graph["nodes"]]
    assert "惠安县崇武永兴雕刻厂" in labels
    assert "Diaokechang" not in body.content.decode()
