"""Every URL pattern and every API route, as every persona.

The routes come from the resolver and the OpenAPI schema, not from a hand-made list: a new route
is tried automatically, and a route with a URL parameter this test cannot fill fails until its
value is added to `victim_values`.
"""

import base64
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.accounts.services import api_token_create, invitation_create
from stonebridge.api import api
from stonebridge.assessments.services import questionnaires, visits
from stonebridge.assessments.services.records import hours_approval_record, records_check_submit
from stonebridge.audit.models import Entry
from stonebridge.engagement.services import collective as collective_services
from stonebridge.engagement.services import disclosure, measures, plans, relationships, support
from stonebridge.notifications.services import notify
from stonebridge.risk.services import evidence_record
from stonebridge.supplychain.importing import import_start
from stonebridge.supplychain.services import (
    facility_create,
    facility_update,
    link_create,
    sourcing_set,
)
from stonebridge.voice.models import Channel, Sponsor
from stonebridge.voice.services import procedures as voice_procedures
from stonebridge.voice.services import remedies as voice_remedies
from stonebridge.voice.services.intake import case_submit
from stonebridge.voice.services.surveys import survey_create

from ..assessments import records_data
from ..assessments.questionnaire_world import form_bytes
from ..conftest import OrganisationFactory, client_for, member

SOON = date.today() + timedelta(days=30)
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# Pages anyone may open without logging in.
PUBLIC = {
    "accounts:login",
    "accounts:login_verify",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:invitation",
    "accounts:language",
    "accounts:logout",
    "api_root",
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
    "voice:intake",
    "voice:case_public",
    "voice:survey_public",
    "voice:survey_thanks",
}
# Pages about the person themself rather than an organisation; outsiders see their own.
# Pages that show the organisation's name to whoever holds the secret link in their URL.
LINK_HOLDERS = {"accounts:invitation"}


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p


def page_routes():
    return sorted(
        {
            name: pattern
            for name, pattern in walk(get_resolver().url_patterns)
            if (not name.startswith("admin:") and not name.startswith("api:")) or name in PUBLIC
        }.items()
    )


@pytest.fixture
def world(owner, viewer, other_buyer, supplier_user, buyer, supplier_org):
    invitation, link_token = invitation_create(
        organisation=buyer, email="new@x.example", role="viewer", by=owner
    )
    token, _ = api_token_create(user=owner, name="owner's token")
    quarry = facility_create(organisation=buyer, by=owner, kind="quarry", name_zh="某某石场")
    processor = facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="某某石材厂"
    )
    sourcing_set(organisation=buyer, by=owner, facility=processor, annual_volume=100)
    link = link_create(
        organisation=buyer, by=owner, supplier=quarry, customer=processor, kind="supplies_blocks"
    )
    evidence = evidence_record(
        organisation=buyer,
        by=owner,
        facility=quarry,
        issue="OHS",
        kind="finding",
        observed_on=date(2026, 1, 5),
        source_type="audit",
        summary="No dust extraction.",
    )
    (notification,) = notify(
        users=[owner],
        organisation=buyer,
        kind="red_flag",
        message="A red flag at the quarry.",
        url=f"/o/{buyer.slug}/",
    )
    job = import_start(
        organisation=buyer,
        by=owner,
        data="kind,name_zh\nquarry,某石场\n".encode(),
        filename="list.csv",
        kind="facilities",
    )
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=processor, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    action = plans.action_create(
        plan=plan, by=owner, title="Install wet cutting", issue="OHS", due_on=SOON
    )
    measure = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="respirable_dust"
    )
    # What the supplier did in its workspace: a report with a photo, a measurement to confirm,
    # a new date to decide; and what the buyer asked of it.
    update = plans.update_post(
        action=action,
        by=supplier_user,
        by_supplier=True,
        text="Started.",
        files=[SimpleUploadedFile("photo.png", PNG_BYTES)],
    )
    reading = measures.reading_record(
        measure=measure,
        by=supplier_user,
        by_supplier=True,
        measured_on=date(2026, 1, 5),
        value=Decimal("0.8"),
    )
    change = plans.due_date_propose(
        action=action,
        by=supplier_user,
        proposed_due_on=SOON + timedelta(days=30),
        reason="Machine late.",
    )
    code = relationships.code_publish(
        organisation=buyer, by=owner, title="Code", text_en="Contracts.", text_zh="合同。"
    )
    commitment = relationships.code_send(relationship=relationship, by=owner, code=code)
    request = disclosure.request_create(
        relationship=relationship, by=owner, kind="visit", text="A visit?", due_on=SOON
    )
    facility_update(facility=processor, organisation=buyer, by=owner, address="水头镇")
    disclosed = disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=relationship.facility,
        customer=relationship.facility,
        facility=facility_create(organisation=buyer, by=owner, kind="workshop", name_zh="某加工点"),
        kind="subcontracts",
    )
    order = support.order_record(
        relationship=relationship,
        by=owner,
        reference="PO-1",
        placed_on=date(2026, 1, 5),
        delivery_due_on=date(2026, 3, 5),
        payment_days=60,
        quantity=Decimal("100"),
        unit="m2",
        unit_price=Decimal("35"),
        currency="EUR",
    )
    check = records_check_submit(
        relationship=relationship,
        by=owner,
        by_supplier=False,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        minimum_wage=Decimal("2265"),
        **{
            kind: SimpleUploadedFile(f"{kind}.csv", content)
            for kind, content in (
                ("workers", records_data.workers()),
                ("attendance", records_data.attendance()),
                ("payroll", records_data.payroll()),
            )
        },
    )
    approval = hours_approval_record(
        relationship=relationship,
        by=owner,
        posts="sawing",
        period="quarter",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        reference="",
        document=SimpleUploadedFile("approval.pdf", b"%PDF-1.4"),
    )
    # A visit by a service provider, granted the supplier's site until soon: its finding, with a
    # photo, disputed by the supplier with a photo of its own.
    provider = OrganisationFactory(
        slug="qinghe", name="Qinghe Consulting", kind=Organisation.Kind.SERVICE_PROVIDER
    )
    auditor = member(provider, Role.OWNER, email="auditor@qinghe.example")
    member(provider, Role.VIEWER, email="reader@qinghe.example")
    visit = visits.visit_create(
        organisation=buyer,
        by=owner,
        kind="announced",
        visit_on=date.today(),
        sites=[relationship],
        provider=provider,
        access_until=SOON,
    )
    finding = visits.finding_record(
        visit=visit,
        by=auditor,
        site=relationship,
        issue="OHS",
        severity="high",
        description="Dry cutting without masks.",
        files=[SimpleUploadedFile("dust.png", PNG_BYTES)],
    )
    dispute = visits.dispute_raise(
        finding=finding,
        by=supplier_user,
        reasons="Masks were handed out.",
        files=[SimpleUploadedFile("masks.png", PNG_BYTES)],
    )
    facility_change = Entry.objects.filter(organisation=buyer, verb="facility.updated").latest("pk")
    # A questionnaire the buyer sent, answered with a file and submitted, and asked about.
    version = questionnaires.questionnaire_import(owner=buyer, by=owner, content=form_bytes())
    version = questionnaires.questionnaire_publish(version=version, by=owner)
    answered = questionnaires.submission_start(
        organisation=supplier_org, buyer=buyer, version=version, facilities=[processor], by=owner
    )
    questionnaires.submission_save(
        submission=answered,
        by=supplier_user,
        answers={"overtime": "yes", "overtime_hours": "60"},
        files={"contract_copy": [SimpleUploadedFile("photo.png", PNG_BYTES)]},
    )
    questionnaires.submission_submit(submission=answered, by=supplier_user)
    asked = questionnaires.submission_follow_up(
        answer=answered.answers.get(question__name="overtime_hours"),
        buyer=buyer,
        by=owner,
        question="Which months?",
    )
    # A worker's grievance at the processor, routed to the buyer only, with a photo.
    channel = Channel.objects.create(facility=processor, token="mAtr1xCh", factory=supplier_org)
    Sponsor.objects.create(channel=channel, organisation=buyer)
    grievance, _secret = case_submit(
        channel=channel,
        topic="hours",
        description="加班太多。",
        route="buyers",
        consent_abroad=True,
        photo=PNG_BYTES,
    )
    # The supplier's own grievance procedure with a committee member, and the buyer's remedy.
    voice_procedures.procedure_save(
        organisation=supplier_org, by=supplier_user, acknowledge_days=7, respond_days=30
    )
    committee_member = voice_procedures.committee_member_add(
        organisation=supplier_org,
        by=supplier_user,
        name="林秀英",
        role="worker",
        chosen="elected",
        since=date(2025, 1, 1),
    )
    remedy = voice_remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=processor,
        kind="back_pay",
        description="Back pay.",
        workers_covered=3,
        paid_by="supplier",
    )
    survey = survey_create(
        organisation=buyer,
        by=owner,
        facility=processor,
        title="Worker survey",
        opens_on=date.today(),
        closes_on=SOON,
    )
    # The buyer in a sector covenant, proposing joint action at the processor it buys from.
    covenant = OrganisationFactory(
        slug="sector-covenant", name="Sector Covenant", kind=Organisation.Kind.COVENANT
    )
    member(covenant, Role.OWNER, email="secretariat@covenant.example")
    member(covenant, Role.VIEWER, email="reader@covenant.example")
    buyer.covenant = covenant
    buyer.save(update_fields=["covenant"])
    collective = collective_services.collective_propose(
        organisation=buyer, by=owner, facility=processor, title="Dust control together"
    )
    joint_action = collective_services.joint_action_add(
        collective=collective, organisation=buyer, by=owner, title="Wet saws"
    )
    from stonebridge.risk.models import RegisterExport

    register_export = RegisterExport.objects.create(
        organisation=buyer, created_by=owner, fmt="csv", status="done", content=b"x;y\n"
    )
    from stonebridge.downloads.models import Download

    download = Download.objects.create(
        organisation=buyer,
        created_by=owner,
        listing="stonebridge.voice.exports.CASES",
        title="Grievance cases",
        fmt="csv",
        language="en",
        status="done",
        content=b"x;y\n",
    )
    from stonebridge.reports.models import ReportJob

    report_job = ReportJob.objects.create(
        organisation=buyer,
        created_by=owner,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        edition="confidential",
        language="en",
        fmt="pdf",
        status="done",
        filename="report.pdf",
        content=b"%PDF-1.4",
    )
    return {
        "download_id": download.pk,
        "covenant": covenant.slug,
        "collective_id": collective.pk,
        "joint_action_id": joint_action.pk,
        "case_id": grievance.pk,
        "case_file_id": grievance.attachments.get().pk,
        "member_id": committee_member.pk,
        "remedy_id": remedy.pk,
        "channel_token": channel.token,
        "channel_id": channel.pk,
        "survey_token": survey.token,
        "survey_id": survey.pk,
        "export_id": register_export.pk,
        "job_id": report_job.pk,
        "step": 1,
        "provider": provider.slug,
        "visit_id": visit.pk,
        "finding_id": finding.pk,
        "dispute_id": dispute.pk,
        "finding_file_id": dispute.files.get().pk,
        "entry_id": facility_change.pk,
        "share_id": disclosed.shares.get().pk,
        "import_id": job.pk,
        "fmt": "xlsx",
        "kind": "facilities",
        "ext": "xlsx",
        "facility_id": processor.pk,
        "link_id": link.pk,
        "org": buyer.slug,
        "membership_id": Membership.objects.get(user=viewer).pk,
        "invitation_id": invitation.pk,
        "token_id": token.pk,
        "token": link_token,
        "uidb64": "MQ",
        "slug": buyer.slug,
        "evidence_id": evidence.pk,
        "issue": "OHS",
        "relationship_id": relationship.pk,
        "plan_id": plan.pk,
        "action_id": action.pk,
        "measure_id": measure.pk,
        "attachment_id": update.attachments.get().pk,
        "reading_id": reading.pk,
        "change_id": change.pk,
        "commitment_id": commitment.pk,
        "request_id": request.pk,
        "notification_id": notification.pk,
        "order_id": order.pk,
        "check_id": check.pk,
        "approval_id": approval.pk,
        "questionnaire_id": version.questionnaire_id,
        "submission_id": answered.pk,
        "answer_id": asked.answer_id,
        "follow_up_id": asked.pk,
        "file_id": answered.answers.get(question__name="contract_copy").files.get().pk,
    }


def url_for(name, pattern, values):
    kwargs = {}
    for key in pattern.pattern.converters:
        assert key in values, f"{name}: add a value for URL parameter <{key}> to the matrix"
        kwargs[key] = values[key]
    return reverse(name, kwargs=kwargs)


SECRET_NAMES = ("Noordsteen", "noordsteen")


def assert_no_leak(response, secrets=SECRET_NAMES):
    body = response.content.decode(errors="replace")
    for secret in secrets:
        assert secret not in body


# The supplier's workspace lives under the supplier's organisation: there the supplier is the
# member, and the buyer that shares with it is an outsider to everything else.
WORKSPACE = "engagement:workspace_"
# Its questionnaires too: the answers belong to the supplier's organisation.
SUPPLIER_PAGES = (WORKSPACE, "assessments:workspace_")
PROVIDER = "assessments:provider_"
# The covenant secretariat's pages live under the covenant's organisation; its members are
# outsiders there, and see nothing of each other.
COVENANT = "reports:covenant_"
# The factory's own grievance procedure is the supplier's too.
SUPPLIER_PAGES += ("voice:factory_",)


@pytest.mark.django_db
def test_every_page_as_every_persona(
    world, owner, viewer, other_buyer, supplier_user, supplier_org
):
    routes = page_routes()
    assert len(routes) >= 15, routes
    supplier_viewer = member(supplier_org, Role.VIEWER)
    provider = Organisation.objects.get(slug=world["provider"])
    for name, pattern in routes:
        if name.startswith(COVENANT):
            covenant = Organisation.objects.get(slug=world["covenant"])
            values = {**world, "org": covenant.slug}
            insider = covenant.memberships.get(role=Role.OWNER).user
            reader = covenant.memberships.get(role=Role.VIEWER).user
            outsiders = {"other buyer": other_buyer, "a member's owner": owner}
            outsiders["supplier"] = supplier_user
            secrets = SECRET_NAMES
        elif name.startswith(PROVIDER):
            values = {**world, "org": provider.slug}
            insider = provider.memberships.get(role=Role.OWNER).user
            reader = provider.memberships.get(role=Role.VIEWER).user
            outsiders = {"other buyer": other_buyer, "a buyer's owner": owner}
            outsiders["supplier"] = supplier_user
            secrets = ("Dry cutting without masks", "dust.png")
        elif name.startswith(SUPPLIER_PAGES):
            values = {**world, "org": supplier_org.slug}
            insider, reader = supplier_user, supplier_viewer
            outsiders = {"other buyer": other_buyer, "a buyer's owner": owner}
            secrets = ("Dust control", "Install wet cutting", "photo.png")
        else:
            values = world
            insider, reader = owner, viewer
            outsiders = {"other buyer": other_buyer, "supplier": supplier_user}
            secrets = SECRET_NAMES
        url = url_for(name, pattern, values)
        is_org_page = "org" in pattern.pattern.converters
        # Anonymous: the login page, never the data.
        response = client_for(None).get(url)
        if name not in PUBLIC:
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), name
        if name not in LINK_HOLDERS:
            assert_no_leak(response, secrets)
        # Member: the page works (GET-only views answer 405 to anything else and vice versa).
        response = client_for(insider).get(url)
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        if not is_org_page:
            continue
        for label, outsider in outsiders.items():
            for method in ("get", "post"):
                response = getattr(client_for(outsider), method)(url)
                assert response.status_code in (404, 405), (
                    name,
                    label,
                    method,
                    response.status_code,
                )
                assert_no_leak(response, secrets)
        # Viewer: may read, may not change anything.
        before = Entry.objects.count()
        response = client_for(reader).post(
            url, {"role": "owner", "email": "x@y.example", "language": "en"}
        )
        assert response.status_code in (403, 405), (name, response.status_code)
        assert Entry.objects.count() == before, name


@pytest.mark.django_db
def test_personal_pages_show_only_ones_own(world, owner, other_buyer):
    url = reverse("accounts:api_token_revoke", kwargs={"token_id": world["token_id"]})
    response = client_for(other_buyer).post(url)
    assert response.status_code == 404
    response = client_for(other_buyer).get(reverse("accounts:api_tokens"))
    assert "owner's token" not in response.content.decode()


@pytest.mark.django_db
def test_admin_is_closed_to_everyone_but_staff(owner):
    response = client_for(None).get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    response = client_for(owner).get(reverse("admin:index"), follow=True)
    assert not response.redirect_chain[-1][0].startswith("/admin/")
    assert "Site administration" not in response.content.decode()


# --- API ---------------------------------------------------------------------------------------


def api_operations():
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation, schema


def example_body(operation, schema):
    """A valid request body built from the schema, so a refusal is about access, not input."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None

    def build(node):
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        if "allOf" in node:
            return build(node["allOf"][0])
        if "enum" in node:
            return node["enum"][-1]
        kind = node.get("type")
        if kind == "object":
            return {k: build(v) for k, v in node.get("properties", {}).items()}
        if "default" in node:
            return node["default"]
        if "anyOf" in node:
            return build(next(n for n in node["anyOf"] if n.get("type") != "null"))
        if kind == "string" and node.get("format") == "date":
            return "2026-01-05"
        if kind == "string":
            text = "someone@example.org"[: node.get("maxLength", 100)]
            return text.ljust(node.get("minLength", 0), "x")
        return {"integer": 1, "number": 1, "boolean": True, "array": []}.get(kind)

    return build(content["schema"])


def api_url(path, values):
    def fill(match):
        key = match.group(1)
        assert key in values, f"{path}: add a value for path parameter {{{key}}} to the matrix"
        return str(values[key])

    return re.sub(r"{(\w+)}", fill, path)


# The supplier's workspace in the API, like its pages, lives under the supplier's organisation;
# a service provider's assignments under the provider's.
WORKSPACE_API = "/workspace/"
ASSIGNMENTS_API = "/assignments"
# The covenant secretariat's figures, under the covenant's organisation: its members are
# outsiders there.
COVENANT_API = "/covenant/"


@pytest.mark.django_db
def test_every_api_route_as_every_persona(
    world, owner, viewer, other_buyer, supplier_user, supplier_org
):
    people = {
        "owner": owner,
        "viewer": viewer,
        "other": other_buyer,
        "supplier": supplier_user,
        "supplier's owner": supplier_user,
        "supplier's viewer": member(supplier_org, Role.VIEWER),
        "buyer": owner,
        "provider's owner": Membership.objects.get(user__email="auditor@qinghe.example").user,
        "provider's viewer": Membership.objects.get(user__email="reader@qinghe.example").user,
        "covenant's owner": Membership.objects.get(user__email="secretariat@covenant.example").user,
        "covenant's viewer": Membership.objects.get(user__email="reader@covenant.example").user,
    }
    tokens = {
        persona: api_token_create(user=user, name="matrix")[1] for persona, user in people.items()
    }
    operations = list(api_operations())
    assert len(operations) >= 8
    for path, method, operation, schema in operations:
        workspace = WORKSPACE_API in path
        values = {**world, "org": supplier_org.slug} if workspace else world
        insider, reader, outsiders = (
            ("supplier's owner", "supplier's viewer", ("other", "buyer"))
            if workspace
            else ("owner", "viewer", ("other", "supplier"))
        )
        if ASSIGNMENTS_API in path:
            values = {**world, "org": world["provider"]}
            insider, reader = "provider's owner", "provider's viewer"
            outsiders = ("other", "buyer", "supplier")
        if COVENANT_API in path:
            values = {**world, "org": world["covenant"]}
            insider, reader = "covenant's owner", "covenant's viewer"
            outsiders = ("other", "buyer", "supplier")
        url = api_url(path, values)
        body = example_body(operation, schema)

        def call(persona, url=url, method=method, body=body):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"} if persona else {}
            return getattr(client_for(None), method)(
                url, body, content_type="application/json", **headers
            )

        response = call(None)
        assert response.status_code == 401, (method, path, response.status_code)
        org_scoped = "{org}" in path
        if org_scoped:
            for persona in outsiders:
                response = call(persona)
                assert response.status_code == 404, (persona, method, path, response.status_code)
                assert_no_leak(response)
            if method != "get":
                before = Entry.objects.count()
                response = call(reader)
                assert response.status_code == 403, (
                    method,
                    path,
                    response.status_code,
                    response.content,
                )
                assert Entry.objects.count() == before
            else:
                # Some lists are for owners only (pending invitations); never another answer.
                assert call(reader).status_code in (200, 403), path
        if method == "get":
            assert call(insider).status_code == 200, path


def test_every_api_list_is_paginated():
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            ok = (
                operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
            )
            target = ok.get("schema", {})
            assert target.get("type") != "array", f"{method} {path} returns a list without pages"


# --- a relationship passed to another supplier's account ---------------------------------------


@pytest.mark.django_db
def test_a_relationship_passed_to_another_supplier_is_closed_to_both_until_the_new_one_accepts(
    world, owner, buyer, supplier_org, supplier_user
):
    new_org = OrganisationFactory(
        slug="jinlong", name="Quanzhou Jinlong Stone", kind=Organisation.Kind.SUPPLIER
    )
    new_user = member(new_org, Role.OWNER)
    # Found by a search: the picker lists no supplier unrelated to the buyer otherwise.
    edit = (
        reverse(
            "engagement:relationship_edit",
            kwargs={"org": buyer.slug, "relationship_id": world["relationship_id"]},
        )
        + "?find=Jinlong"
    )
    response = client_for(owner).post(
        edit, {"supplier": new_org.pk, "improvement_period_days": 365}
    )
    assert response.status_code == 302
    suppliers = {"old supplier": (supplier_user, supplier_org), "new supplier": (new_user, new_org)}
    secrets = ("Dust control", "Install wet cutting", "photo.png", "Started.")
    workspace = [(n, p) for n, p in page_routes() if n.startswith(WORKSPACE)]
    assert len(workspace) >= 10
    for label, (person, org) in suppliers.items():
        client = client_for(person)
        for name, pattern in workspace:
            # A download as CSV, where a leaked name would show.
            url = url_for(name, pattern, {**world, "org": org.slug, "fmt": "csv"})
            lists = (WORKSPACE + "home", WORKSPACE + "history")
            if name in lists or name.endswith("_export"):  # lists, empty of it
                response = client.get(url)
                assert response.status_code == 200
                assert_no_leak(response, secrets)
                continue
            if name == WORKSPACE + "sharing" and label == "new supplier":
                continue  # the new account's question to answer, tried below
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (404, 405), (label, name, method)
                assert_no_leak(response, secrets)
    tokens = {label: api_token_create(user=p, name="m")[1] for label, (p, _o) in suppliers.items()}

    def api_calls():
        for path, method, operation, schema in api_operations():
            if "engagement" not in operation.get("tags", []):
                continue
            body = example_body(operation, schema)
            for label, token in tokens.items():
                response = getattr(client_for(None), method)(
                    api_url(path, world),
                    body,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
                yield label, method, path, response

    before = Entry.objects.count()
    for label, method, path, response in api_calls():
        assert response.status_code == 404, (label, method, path, response.status_code)
        assert_no_leak(response, secrets)
    assert Entry.objects.count() == before
    # Once the new account accepts, it sees what the buyer shares; the old one still does not.
    sharing = url_for(
        WORKSPACE + "sharing",
        dict(workspace)[WORKSPACE + "sharing"],
        {**world, "org": new_org.slug},
    )
    client_for(new_user).post(sharing, {"accept": "1"})
    for name, pattern in workspace:
        if name == WORKSPACE + "sharing":
            continue
        new_url = url_for(name, pattern, {**world, "org": new_org.slug})
        assert client_for(new_user).get(new_url).status_code == 200, name
        old_url = url_for(name, pattern, {**world, "org": supplier_org.slug})
        response = client_for(supplier_user).get(old_url)
        assert response.status_code in (200, 404), name
        assert_no_leak(response, secrets)
    home = client_for(new_user).get(f"/o/{new_org.slug}/workspace/").content.decode()
    assert "Dust control" in home
    # The API stays the buyer's: a supplier's account reaches none of it.
    for label, method, path, response in api_calls():
        assert response.status_code == 404, (label, method, path, response.status_code)
