"""The Chinese reference texts take GLOSSARY.md's words, as data/ now has them.

A row is changed only where it still holds the first release's word, so a text staff rewrote in
the admin keeps its own wording.
"""

import re
from typing import Any

from django.db import migrations

# (code, field): (old text, new text), as data/taxonomy.json changed.
ISSUES = {
    ("OHS", "name_zh"): ("职业健康与安全", "职业健康安全"),
    ("YOUTH", "name_zh"): ("青年体面劳动", "童工、未成年工与实习学生"),
    ("YOUTH", "description_zh"): ("实习生上夜班", "实习学生上夜班"),
    ("SOCIAL_SECURITY", "description_zh"): ("外地工人被排除在外", "外来务工人员被排除在外"),
    ("VOICE", "description_zh"): ("没有投诉渠道", "没有申诉渠道"),
    ("TRANSPARENCY", "description_zh"): ("不公开的分包商", "未报告的外协厂"),
}
INDICATORS = {
    "YOUTH_INTERNS": ("实习生加班", "实习学生加班"),
    "SS_MIGRANTS_EXCLUDED": ("外地工人没有社保", "外来务工人员没有参加社会保险"),
    "VOICE_NO_CHANNEL": ("没有投诉渠道", "没有申诉渠道"),
    "VOICE_RETALIATION": ("对投诉的工人打击报复", "对提出申诉的工人打击报复"),
    "TR_SUBCONTRACTOR": ("未公开的分包商", "未报告的外协厂"),
}
# The words data/baseline.csv's facts changed.
FACT_WORDS = [
    ("矽肺(?!病)", "矽肺病"),
    ("采石场", "矿山"),
    ("外地务工人员", "外来务工人员"),
    ("分包商", "外协厂"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Issue = apps.get_model("risk", "Issue")
    Indicator = apps.get_model("risk", "Indicator")
    Baseline = apps.get_model("risk", "Baseline")
    for (code, field), (old, new) in ISSUES.items():
        for issue in Issue.objects.filter(code=code, **{f"{field}__contains": old}):
            setattr(issue, field, getattr(issue, field).replace(old, new))
            issue.save(update_fields=[field])
    for code, (old, new) in INDICATORS.items():
        for indicator in Indicator.objects.filter(code=code, name_zh__contains=old):
            indicator.name_zh = indicator.name_zh.replace(old, new)
            indicator.save(update_fields=["name_zh"])
    for baseline in Baseline.objects.all():
        fact = baseline.fact_zh
        for old, new in FACT_WORDS:
            fact = re.sub(old, new, fact)
        if fact != baseline.fact_zh:
            baseline.fact_zh = fact
            baseline.save(update_fields=["fact_zh"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_workforce_from_the_registry")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
