"""A believable covenant to try StoneBridge with: importers, a secretariat, Chinese suppliers."""

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone, translation

from stonebridge.accounts import services
from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.demo import (
    chain,
    collective,
    engagement,
    questionnaires,
    records,
    reports,
    risk,
    scale,
    visits,
    voice,
    voice_cases,
    voice_procedure,
    voice_surveys,
)
from stonebridge.risk.services import recompute_all
from stonebridge.voice.models import Channel
from stonebridge.voice.services.channels import intake_link

PASSWORD = "stonebridge-demo"  # noqa: S105 - the demo prints it for everyone

COVENANT = (
    "stone-covenant",
    "Natural Stone Sector Covenant",
    "天然石材行业倡议组织",
    "NL",
    "The Hague",
)

BUYERS = [
    ("noordsteen", "Noordsteen Natuursteen B.V.", "NL", "Rotterdam", "noordsteen.example"),
    ("steinwerk", "Steinwerk Import GmbH", "DE", "Bremen", "steinwerk.example"),
    ("pierre-bleue", "Pierre Bleue Trading NV", "BE", "Antwerpen", "pierrebleue.example"),
]

# Real clusters, invented companies: (slug, name in pinyin/English, hanzi, city, domain).
SUPPLIERS = [
    (
        "haichen-stone",
        "Xiamen Haichen Stone Co., Ltd.",
        "厦门海辰石业有限公司",
        "Xiamen",
        "haichen.example",
    ),
    (
        "shuitou-xinyuan",
        "Nan'an Shuitou Xinyuan Stone Factory",
        "南安市水头鑫源石材厂",
        "Nan'an",
        "xinyuan.example",
    ),
    (
        "chongwu-yongxing",
        "Hui'an Chongwu Yongxing Carving Works",
        "惠安县崇武永兴雕刻厂",
        "Hui'an",
        "yongxing.example",
    ),
    (
        "laizhou-jinling",
        "Laizhou Jinling Stone Co., Ltd.",
        "莱州市金岭石材有限公司",
        "Laizhou",
        "jinling.example",
    ),
    (
        "wulian-hongyun",
        "Wulian Hongyun Stone Processing Plant",
        "五莲县鸿运石材加工厂",
        "Wulian",
        "hongyun.example",
    ),
    (
        "yunfu-huafeng",
        "Yunfu Huafeng Stone Co., Ltd.",
        "云浮市华丰石材有限公司",
        "Yunfu",
        "huafeng.example",
    ),
]

SERVICE_PROVIDER = (
    "qinghe-consulting",
    "Qinghe Social Compliance Consulting",
    "青禾社会责任咨询有限公司",
    "CN",
    "Xiamen",
    "qinghe.example",
)

EUROPEAN_NAMES = [
    "Anna de Vries",
    "Pieter Bakker",
    "Sanne Jansen",
    "Jonas Weber",
    "Lena Fischer",
    "Maximilian Braun",
    "Claire Dubois",
    "Thomas Peeters",
    "Elise Maes",
    "Sophie Meijer",
]
CHINESE_NAMES = ["陈志明", "林秀英", "王建国", "张丽华", "刘海涛", "黄伟", "吴晓燕", "郑国强"]


class Command(BaseCommand):
    help = "Load the demo covenant (skipped if it is already there) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="every demo person reads StoneBridge in this language (the Chinese demo: "
            "zh-hans); by default the importers read English and the Chinese firms Chinese",
        )
        parser.add_argument(
            "--facilities",
            type=int,
            default=0,
            help="also build a synthetic chain this large (3 links per facility), for benchmarks",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not Organisation.objects.filter(slug=COVENANT[0]).exists():
            # In the Chinese demo, what the seed writes in the interface's words (the labels the
            # audit log keeps, notices) is written in Chinese, as its people would write it.
            with transaction.atomic(), translation.override(options["language"]):
                build(random.Random(options["seed"]), options["language"])
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already loaded.")
        if options["facilities"]:
            if Organisation.objects.filter(slug="scale-buyer").exists():
                self.stdout.write("The large synthetic chain is already loaded.")
            else:
                buyer = scale.build(random.Random(options["seed"]), options["facilities"])
                self.stdout.write(f"Built {options['facilities']} facilities for {buyer.name}.")
        self.print_logins()
        channel = Channel.objects.filter(token=voice.TOKEN).first()
        if channel is not None:
            self.stdout.write(
                f"\nThe workers' grievance page at the Shuitou plant: {intake_link(channel)}"
            )

    def print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD}):")
        users = User.objects.filter(email__endswith=".example").prefetch_related(
            "memberships__organisation"
        )
        for user in users.order_by("email"):
            roles = ", ".join(
                f"{m.get_role_display()} · {m.organisation.name}" for m in user.memberships.all()
            )
            staff = " (staff: sets up two-factor login first)" if user.is_staff else ""
            self.stdout.write(f"  {user.email:<34} {roles}{staff}")


def _person(email: str, name: str, language: str, time_zone: str) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, name=name, language=language, time_zone=time_zone
    )


def build(rng: random.Random, language: str | None = None) -> None:
    european = rng.sample(EUROPEAN_NAMES, len(EUROPEAN_NAMES))
    chinese = rng.sample(CHINESE_NAMES, len(CHINESE_NAMES))

    slug, name, name_zh, country, city = COVENANT
    covenant = services.organisation_create(
        slug=slug,
        name=name,
        name_zh=name_zh,
        kind=Organisation.Kind.COVENANT,
        country=country,
        city=city,
    )
    secretary = _person(
        "secretariat@covenant.example", european.pop(), language or "en", "Europe/Amsterdam"
    )
    services.membership_add(organisation=covenant, user=secretary, role=Role.OWNER, by=None)

    for slug, name, country, city, domain in BUYERS:
        buyer = services.organisation_create(
            slug=slug,
            name=name,
            kind=Organisation.Kind.BUYER,
            country=country,
            city=city,
            covenant=covenant,
        )
        owner = None
        for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
            person = _person(
                f"{role.value}@{domain}", european.pop(), language or "en", "Europe/Amsterdam"
            )
            services.membership_add(organisation=buyer, user=person, role=role, by=owner)
            owner = owner or person

    for slug, name, name_zh, city, domain in SUPPLIERS:
        supplier = services.organisation_create(
            slug=slug,
            name=name,
            name_zh=name_zh,
            kind=Organisation.Kind.SUPPLIER,
            country="CN",
            city=city,
        )
        manager = _person(
            f"manager@{domain}", chinese.pop(), language or "zh-hans", "Asia/Shanghai"
        )
        services.membership_add(organisation=supplier, user=manager, role=Role.OWNER, by=None)

    slug, name, name_zh, country, city, domain = SERVICE_PROVIDER
    provider = services.organisation_create(
        slug=slug,
        name=name,
        name_zh=name_zh,
        kind=Organisation.Kind.SERVICE_PROVIDER,
        country=country,
        city=city,
    )
    auditor = _person(f"auditor@{domain}", chinese.pop(), language or "zh-hans", "Asia/Shanghai")
    services.membership_add(organisation=provider, user=auditor, role=Role.OWNER, by=None)

    User.objects.create_superuser(
        email="admin@stonebridge.example", password=PASSWORD, name="StoneBridge admin"
    )
    buyers = list(Organisation.objects.filter(kind=Organisation.Kind.BUYER).order_by("pk"))
    chain.build(rng, buyers)
    risk.build(buyers[0])
    engagement.build(buyers[0])
    # The covenant's three members act together with the exporter they all buy from.
    collective.build(buyers)
    records.build(buyers[0], timezone.localdate())
    questionnaires.build(buyers[0])
    visits.build(buyers[0])
    # Worker voice at the Shuitou plant: its channel, cases, the factory's own procedure and a
    # remedy, and a before/after survey.
    channel = voice.demo_channel(buyers[0])
    assert channel.factory is not None
    voice_procedure.build(buyers[0], channel.factory)
    voice_cases.build(buyers[0], channel.factory, channel)
    voice_surveys.build(buyers[0])
    # Scored now, so the register is full before the task worker has caught up.
    recompute_all()
    # The covenant's reporting year and the first buyer's report for its last one.
    reports.build(covenant, buyers[0], language)
