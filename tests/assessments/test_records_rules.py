"""The thresholds as data: every rule has its source and issue; own choices say so."""

import json

from stonebridge.assessments.records import RULE_CODES, load_rules
from stonebridge.assessments.records.rules import DATA

RULES = load_rules()


def test_every_rule_has_a_source_and_a_salient_issue():
    assert set(RULES.sources) == set(RULE_CODES)
    assert {RULES.issues[code] for code in RULE_CODES} == {"HOURS_WAGES", "YOUTH", "CONTRACTS"}
    assert all(RULES.sources[code] for code in RULE_CODES)


def test_figures_the_law_does_not_give_are_labelled_stonebridge_defaults():
    thresholds = json.loads(DATA.read_text(encoding="utf-8"))["thresholds"]
    for name in ("intern_night_start", "intern_night_end", "identical_times_worker_share",
                 "pay_tolerance_cny"):  # fmt: skip
        assert "StoneBridge default" in thresholds[name]["source"]
    assert thresholds["monthly_overtime_cap_hours"] == {
        "value": "36",
        "source": "Labour Law Art. 41",
    }


def test_hazardous_posts_match_in_chinese_and_english():
    assert RULES.hazard("抛光工") is not None
    assert RULES.hazard("Dry cutting") is not None
    assert "498号" in RULES.hazard("采石").source
    assert RULES.hazard("包装") is None
