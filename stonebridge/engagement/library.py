"""Ready-made requests and actions in English and Chinese, for the asks buyers make most often.

Written for a factory manager: what to send and why, in the words used on the factory floor
(GLOSSARY.md). Choosing one fills both languages of a request or an action; the buyer may edit
either before sending. The selection is StoneBridge's default wording, not a legal template.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReadyText:
    key: str
    label: Promise
    kind: str  # the Request kind it is asked as
    title_en: str
    title_zh: str
    text_en: str
    text_zh: str
    # What the action asks for, when it is asked as an action rather than a request.
    details_en: str = ""
    details_zh: str = ""


TEXTS = (
    ReadyText(
        "labour_agents",
        _("Labour agents and their licences"),
        "documents",
        "Check the labour agents and their licences",
        "核查劳务派遣或招聘中介及其资质",
        "Please list every labour agent or dispatch company that brings workers to your site, "
        "with a copy of each one's business licence and labour dispatch licence, and the "
        "contract you have with it. Say whether workers pay any fee to the agent.",
        "请列出为贵公司工厂提供员工的所有劳务派遣公司或招聘中介，并提供每家的营业执照、"
        "劳务派遣经营许可证复印件，以及贵公司与其签订的合同。请说明员工是否向中介支付任何费用。",
        "Work only with licensed agents; no worker pays a fee to get or keep the job, and "
        "any fee paid is repaid.",
        "只与有资质的劳务派遣公司或中介合作；员工不为获得或保住工作支付任何费用，已付的费用予以退还。",
    ),
    ReadyText(
        "subcontractors",
        _("List of sub-contractors"),
        "subcontractors",
        "Disclose the sub-contractors",
        "说明外协厂情况",
        "Please list the sub-contractors that cut, carve or finish stone for our orders, with "
        "their name, address and the work they do, and the quarries your blocks come from.",
        "请列出为我们的订单做切割、雕刻或加工的外协厂，写明名称、地址和所做的外发加工内容，"
        "以及荒料来自哪些矿山。",
    ),
    ReadyText(
        "time_records",
        _("Sample of time records"),
        "documents",
        "Share a sample of attendance records and payroll",
        "提供考勤记录和工资表样本",
        "Please send the attendance records and payroll of the last three months for ten "
        "workers of different jobs, including overtime hours and rest days.",
        "请提供最近三个月十名不同岗位员工的考勤记录和工资表，包括加班时间和休息日。",
    ),
    ReadyText(
        "dust",
        _("Dust measurements"),
        "documents",
        "Measure silica dust at the workplaces",
        "测量工作岗位的矽尘浓度",
        "Please send the latest silica dust measurements at the cutting, grinding and carving "
        "workplaces, made by a qualified testing body, with the date and the places measured.",
        "请提供切割、打磨和雕刻岗位最近一次的矽尘检测报告，须由有资质的检测机构出具，"
        "写明检测日期和检测点。",
        "Have the dust measured at every cutting, grinding and carving workplace, and bring "
        "it below the legal limit with wet cutting and extraction.",
        "请在每个切割、打磨和雕刻岗位测量矽尘浓度，并通过湿法作业和除尘设备降到国家限值以下。",
    ),
    ReadyText(
        "social_insurance",
        _("Proof of social insurance"),
        "documents",
        "Insure every worker with social insurance",
        "为每名员工缴纳社会保险",
        "Please send proof of social insurance payments (the social insurance bureau's list of "
        "insured people) for the last month, and the number of workers on site that month.",
        "请提供上个月的社会保险缴费证明（社保局出具的参保人员名单），以及当月在厂员工人数。",
        "Register every worker, including dispatched workers, for social insurance and keep "
        "the monthly list of insured people.",
        "为每名员工（包括劳务派遣工）办理社会保险，并保存每月的参保人员名单。",
    ),
    ReadyText(
        "training",
        _("Training records"),
        "documents",
        "Train workers in occupational health and safety",
        "开展职业健康安全培训",
        "Please send the records of occupational health and safety training of the last year: "
        "the topics, the dates, the trainer and the list of workers who signed in.",
        "请提供最近一年的职业健康安全培训记录：培训内容、日期、培训人以及员工签到表。",
        "Train every worker at hiring and once a year in dust, machines and protective "
        "equipment, in a language they understand, and keep the sign-in sheets.",
        "员工入职时和每年一次接受矽尘、机器和防护用品方面的培训，用员工能听懂的语言讲解，并保存签到表。",
    ),
)

BY_KEY = {text.key: text for text in TEXTS}


def choices() -> list[tuple[str, Promise]]:
    return [(text.key, text.label) for text in TEXTS]
