"""The Chinese catalogue speaks with one voice: GLOSSARY.md's word for each thing, 您 for the
reader, full-width punctuation in Chinese text.

Each rule names a word to avoid, the glossary's word to use instead and, where the avoided word
is right in other senses (操作 is a UI operation, 负责人 the person responsible for an action), the
English that marks the sense the glossary fixes.
"""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

CATALOG = (
    Path(settings.BASE_DIR) / "stonebridge" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
)
CJK = "\u3400-\u4dbf\u4e00-\u9fff"


@dataclass(frozen=True)
class Rule:
    avoid: str  # a regular expression on the Chinese
    use: str  # the glossary's word
    english: str = ""  # a regular expression on the English: the rule holds only in this sense
    unless: frozenset[str] = frozenset()  # msgids where the avoided word has its other sense

    def broken_by(self, english: str, chinese: str) -> bool:
        if english in self.unless or (self.english and not re.search(self.english, english)):
            return False
        return re.search(self.avoid, chinese) is not None


# The audit log and a row's buttons are operations in the interface: 操作 is the right word.
AUDIT_LOG_OPERATIONS = frozenset(
    {"All actions", "action", "audit log\x04Action", "buttons in a row\x04Actions"}
)

RULES = [
    Rule("红旗", "警示信号"),
    # Pollution-control facilities are equipment: 设施 is the right word there.
    Rule("设施", "厂矿 / 工厂", english=r"(?i)(?<!control )facilit|site"),
    Rule("你", "您 (a supplier company in formal text: 贵公司)"),
    Rule("负责人", "管理员", english=r"(?i)\bowner\b(?! at the)"),
    Rule("投诉", "申诉"),
    Rule("操作", "措施", english=r"(?i)\bactions?\b", unless=AUDIT_LOG_OPERATIONS),
    Rule("问题类型|议题", "问题类别"),
    Rule("基线", "改进前数值 (an outcome) / 风险基准 (a place and kind of work)"),
    Rule("(?<!风险)基准", "风险基准"),
    Rule(
        "改进前", "风险基准", english=r"(?i)baseline risk|cited baseline|baseline (sources|facts)"
    ),
    Rule("目标(?!值)", "目标值", english=r"(?i)\btargets?\b"),
    Rule("读数", "测量值"),
    Rule("青年|未成年工(?!与实习学生)", "童工、未成年工与实习学生", english=r"(?i)youth"),
    Rule("实习生", "实习学生"),
    Rule("分包|外包", "外协厂 (sub-contractor) / 外发加工 (sub-contracting)"),
    Rule("结果", "成效", english=r"(?i)\boutcomes?\b"),
    Rule("证据", "依据"),
    Rule("矽肺(?!病)", "矽肺病"),
    Rule("弥补|无法补救", "不可补救"),
    Rule("(?<!影响)范围", "影响范围", english=r"(?i)\bscope\b"),
    Rule("退出", "终止合作", english=r"(?i)\bexit"),
    Rule("(?<!逐级)升级", "逐级升级", english=r"(?i)escalat"),
    Rule("^(?!.*已逾期)", "已逾期", english=r"(?i)overdue"),
    Rule("披露|未公开", "主动报告 / 未报告", english=r"(?i)disclos"),
    Rule("告诉", "主动报告", english=r"(?i)\b(tell|told|telling)\b.*\bproblem"),
    Rule("(?<!审核)发现", "审核发现", english=r"(?i)\bfindings?\b"),
    Rule("审计", "审核"),
    Rule("工人问卷", "员工问卷"),
    Rule("风险登记", "风险清单"),
    Rule("社保", "社会保险"),
    Rule("登记库", "厂矿名录"),
    Rule("采石场", "矿山"),
    Rule("买家|买方", "采购商"),
    Rule("供货商", "供应商"),
    Rule("公约", "行业倡议组织", english=r"(?i)covenant"),
    Rule("(?<!第三方)服务机构", "第三方服务机构"),
    Rule("(?<!供应商)行为准则", "供应商行为准则", english=r"(?i)code of conduct"),
    Rule("交货期(?!限)", "交货周期"),
    Rule("改单|修改订单", "订单变更"),
    Rule("付款期", "付款条件"),
    Rule("职业健康与安全", "职业健康安全"),
    Rule("外地务工|外地工人", "外来务工人员"),
    Rule("第 ?\\S+ ?层", "层级: 一级供应商、二级供应商…"),
]

# Half-width marks touching Chinese text; placeholders and markup are taken out first.
HALF_WIDTH = re.compile(rf"(?<=[{CJK}])\s*[,;:?!()\"]|[,;:?!()\"]\s*(?=[{CJK}])")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def glossary_breaches(english: str, chinese: str) -> list[str]:
    return [
        f"{english!r}: {chinese!r} has {rule.avoid!r}, use {rule.use}"
        for rule in RULES
        if rule.broken_by(english, chinese)
    ]


def half_width_marks(chinese: str) -> list[str]:
    return [found.group().strip() for found in HALF_WIDTH.finditer(PLACEHOLDER.sub("", chinese))]


def data_texts():
    """The reference data shown to readers in Chinese, with its English where it has one."""
    stonebridge = Path(settings.BASE_DIR) / "stonebridge"
    for issue in json.loads((stonebridge / "risk" / "data" / "taxonomy.json").read_text())[
        "issues"
    ]:
        yield issue["name_en"], issue["name_zh"]
        yield issue["description_en"], issue["description_zh"]
        for indicator in issue["indicators"]:
            yield indicator["name_en"], indicator["name_zh"]
    with (stonebridge / "risk" / "data" / "baseline.csv").open(newline="") as baseline:
        for row in csv.DictReader(baseline):
            yield row["fact_en"], row["fact_zh"]
    yield from bilingual(
        json.loads((stonebridge / "engagement" / "data" / "programmes.json").read_text())
    )
    code = stonebridge / "demo" / "data" / "code_of_conduct"
    yield code.with_suffix(".en.txt").read_text(), code.with_suffix(".zh.txt").read_text()


def bilingual(data):
    """Every `…_zh` text of a JSON document with the `…_en` beside it."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_zh") and isinstance(value, str):
                yield data.get(f"{key[:-3]}_en", ""), value
            yield from bilingual(value)
    elif isinstance(data, list):
        for value in data:
            yield from bilingual(value)


def translations():
    for entry in polib.pofile(str(CATALOG)).translated_entries():
        for chinese in [entry.msgstr, *entry.msgstr_plural.values()]:
            if chinese:
                # A msgid with a context is named as gettext does: "context\x04msgid".
                yield "\x04".join(filter(None, [entry.msgctxt, entry.msgid])), chinese


def test_the_rules_find_what_the_glossary_forbids():
    assert glossary_breaches("Red flags", "红旗")
    assert glossary_breaches("Facility", "设施")
    assert glossary_breaches("Your answer", "你的回复")
    assert not glossary_breaches("Your answer", "您的回复")
    assert glossary_breaches("Add an action", "添加操作")
    assert not glossary_breaches("All actions", "全部操作")
    assert not glossary_breaches("If it was not you, ignore this e-mail", "如果不是您本人操作")
    assert glossary_breaches("An organisation needs at least one owner.", "至少需要一名负责人")
    assert not glossary_breaches("Owner at the supplier", "供应商负责人")
    assert glossary_breaches("Overdue actions", "逾期的措施")
    assert not glossary_breaches("Overdue actions", "已逾期的措施")
    assert half_width_marks("请选择供应商,或勾选(未知)") == [",", "(", ")"]
    assert half_width_marks("厂矿（CSV）、%(name)s（%(email)s）、UTF-8 (GB18030)") == []


def test_the_catalogue_uses_the_glossary_words():
    breaches = [
        breach
        for english, chinese in translations()
        for breach in glossary_breaches(english, chinese)
    ]
    assert breaches == []


def test_chinese_text_has_full_width_punctuation():
    marks = [
        f"{english!r}: {chinese!r} has {found}"
        for english, chinese in translations()
        for found in half_width_marks(chinese)
    ]
    assert marks == []


def test_the_reference_data_uses_the_glossary_words():
    breaches = [
        breach
        for english, chinese in data_texts()
        for breach in glossary_breaches(english, chinese)
    ]
    marks = [found for _, chinese in data_texts() for found in half_width_marks(chinese)]
    assert breaches == []
    assert marks == []
