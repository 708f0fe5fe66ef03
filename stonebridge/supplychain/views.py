from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import (
    get_scoped_or_404,
    get_shared_or_404,
    organisation_view,
    scoped,
)
from stonebridge.accounts.models import Membership, User
from stonebridge.audit.models import Entry
from stonebridge.languages import name_pair
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit
from stonebridge.replicas import replica_reads

from . import exporting, graphs, queries, services, summary, upstream
from .forms import FacilityForm, LinkForm, SourcingForm
from .models import Facility, Link, Sourcing, UpstreamShare

SIMILAR_BY = ("name_zh", "name_en", "aliases", "credit_code", "address")


@replica_reads
@organisation_view()
def overview(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    sourcing = (
        Sourcing.objects.filter(organisation=org)
        .select_related("facility")
        .order_by("-annual_volume", "pk")
    )
    stamp = graphs.chain_stamp(org)
    if graphs.is_large(stamp[0]):
        # A large chain in parts: groups to draw, the links and suppliers page by page.
        found = graphs.summary(org, stamp)
        transparency = found["transparency"]
        graph = graphs.collapsed(org, found)
        links = graphs.Counted(graphs.chain_links(org), found["link_count"])
        parts: dict[str, Any] = {
            "graph_rows": graphs.collapsed_rows(graph),
            "links": _link_page(request, links),
            "sourcing": paginate(request, sourcing, param="suppliers"),
            "places": graphs.place_groups(found),
        }
    else:
        transparency = queries.transparency(org)
        graph = queries.graph(org)
        parts = {
            "graph_rows": queries.graph_rows(graph),
            "sourcing": sourcing,
            "places": [
                {**place, "name": name_pair(place["name_en"], place["name_zh"])}
                for place in graphs.places(org)
            ],
        }
    return render(
        request,
        "supplychain/overview.html",
        org_context(membership, transparency=transparency, graph=graph, **parts),
    )


def _link_page(request: PageRequest, links: graphs.Counted) -> Page:
    page = paginate(request, links, param="links")
    page.object_list = [graphs.link_row(link) for link in page.object_list]
    return page


@vary_on_headers("HX-Request")
@replica_reads
@organisation_view()
def facility_list(request: PageRequest, membership: Membership) -> HttpResponse:
    facilities, form = exporting.filtered_facilities(membership, request.GET)
    template = (
        "supplychain/_facility_rows.html" if request.htmx else "supplychain/facility_list.html"
    )
    return render(
        request, template, org_context(membership, form=form, page=paginate(request, facilities))
    )


@organisation_view()
def facility_pick(request: PageRequest, membership: Membership) -> HttpResponse:
    """Search results to choose a supplier from, for the link form."""
    query = request.GET.get("q", "")
    found = queries.search(Facility.objects.all(), query)[:10] if len(query) >= 2 else []
    return render(request, "supplychain/_facility_pick.html", {"found": found, "query": query})


@organisation_view()
def facility_detail(request: PageRequest, membership: Membership, facility_id: int) -> HttpResponse:
    org = membership.organisation
    facility = get_shared_or_404(queries.facilities_for(org), pk=facility_id)
    links = (
        Link.objects.filter(organisation=org)
        .select_related("supplier", "customer")
        .annotate(disclosed=Exists(UpstreamShare.objects.filter(link=OuterRef("pk"), buyer=org)))
    )
    return render(
        request,
        "supplychain/facility_detail.html",
        org_context(
            membership,
            facility=facility,
            may_edit=queries.may_edit(org, facility),
            inputs=links.filter(customer=facility),
            outputs=links.filter(supplier=facility),
            sourcing=Sourcing.objects.filter(organisation=org, facility=facility).first(),
            changes=_facility_changes(membership).filter(target_id=str(facility.pk))[:20],
            disclosed=UpstreamShare.objects.filter(buyer=org)
            .filter(Q(disclosure__site=facility) | Q(disclosure__customer=facility))
            .select_related(
                "disclosure__organisation", "disclosure__supplier", "disclosure__customer"
            )
            .order_by("disclosure__pk"),
        ),
    )


def _facility_save(
    membership: Membership, by: User, facility: Facility | None, values: dict[str, object]
) -> Facility:
    if facility is None:
        return services.facility_create(organisation=membership.organisation, by=by, **values)
    return services.facility_update(
        facility=facility, organisation=membership.organisation, by=by, **values
    )


def _facility_changes(membership: Membership) -> QuerySet[Entry]:
    """Changes to facilities' shared records, as the organisation's own log shows them."""
    return scoped(
        Entry.objects.filter(
            target_type="supplychain.facility", verb__in=services.FACILITY_CHANGES
        ).select_related("actor"),
        membership,
    )


@organisation_view()
@require_POST
def upstream_accept(
    request: PageRequest, membership: Membership, facility_id: int, share_id: int
) -> HttpResponse:
    """Take a link the supplier disclosed into the buyer's own chain."""
    share = get_scoped_or_404(UpstreamShare.objects.all(), membership, pk=share_id)
    _accepted, error = attempt(lambda: upstream.upstream_accept(share=share, by=request.user))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The disclosed link is now in your chain."))
    return redirect(
        "supplychain:facility", org=membership.organisation.slug, facility_id=facility_id
    )


@organisation_view()
@require_POST
def facility_revert(
    request: PageRequest, membership: Membership, facility_id: int, entry_id: int
) -> HttpResponse:
    entry = get_shared_or_404(
        _facility_changes(membership), target_id=str(facility_id), pk=entry_id
    )
    _reverted, error = attempt(
        lambda: services.facility_revert(
            entry=entry, organisation=membership.organisation, by=request.user
        )
    )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The change was put back."))
    return redirect(
        "supplychain:facility", org=membership.organisation.slug, facility_id=facility_id
    )


@organisation_view()
def facility_edit(
    request: PageRequest, membership: Membership, facility_id: int | None = None
) -> HttpResponse:
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id) if facility_id else None
    form = FacilityForm(request.POST or None, instance=facility)

    def values(data: dict[str, Any]) -> dict[str, Any]:
        return {f: data[f] for f in form.Meta.fields if f in form.fields}

    similar: list[queries.Similar] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and facility is None
        and not request.POST.get("confirm_new")
    ):
        # The registry is shared: before a facility is added twice, show what it may be.
        chosen = values(form.cleaned_data)
        similar = queries.similar_facilities(**{f: chosen.get(f, "") for f in SIMILAR_BY})
    saved = (
        None
        if similar
        else submit(
            request,
            form,
            lambda data: _facility_save(membership, request.user, facility, values(data)),
        )
    )
    if saved is not None:
        messages.success(request, _("The facility was saved."))
        for warning in saved.warnings():
            messages.warning(request, warning)
        return redirect(
            "supplychain:facility", org=membership.organisation.slug, facility_id=saved.pk
        )
    return render(
        request,
        "supplychain/facility_form.html",
        org_context(
            membership,
            form=form,
            facility=facility,
            similar=similar,
            code_taken=any(s.same_credit_code for s in similar),
        ),
    )


@organisation_view()
def link_new(request: PageRequest, membership: Membership, facility_id: int) -> HttpResponse:
    services.require_chain(membership.organisation)
    customer = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    form = LinkForm(request.POST or None)
    linked = submit(
        request,
        form,
        lambda data: services.link_create(
            organisation=membership.organisation,
            by=request.user,
            customer=customer,
            **{f: data[f] for f in form.Meta.fields if f != "unknown"},
        ),
    )
    if linked is not None:
        messages.success(request, _("The link was added."))
        return redirect(
            "supplychain:facility", org=membership.organisation.slug, facility_id=customer.pk
        )
    return render(
        request, "supplychain/link_form.html", org_context(membership, form=form, customer=customer)
    )


@organisation_view()
def link_delete(request: PageRequest, membership: Membership, link_id: int) -> HttpResponse:
    link = get_scoped_or_404(
        Link.objects.select_related("supplier", "customer"), membership, pk=link_id
    )
    if request.method == "POST":
        services.link_delete(link=link, by=request.user)
        messages.success(request, _("The link was removed."))
        return redirect(
            "supplychain:facility", org=membership.organisation.slug, facility_id=link.customer_id
        )
    return render(request, "supplychain/link_delete.html", org_context(membership, link=link))


@organisation_view()
def sourcing_edit(request: PageRequest, membership: Membership, facility_id: int) -> HttpResponse:
    services.require_chain(membership.organisation)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    current = Sourcing.objects.filter(
        organisation=membership.organisation, facility=facility
    ).first()
    form = SourcingForm(request.POST or None, instance=current)
    saved = submit(
        request,
        form,
        lambda data: services.sourcing_set(
            organisation=membership.organisation, by=request.user, facility=facility, **data
        ),
    )
    if saved is not None:
        messages.success(request, _("Sourcing saved."))
        return redirect(
            "supplychain:facility", org=membership.organisation.slug, facility_id=facility.pk
        )
    return render(
        request,
        "supplychain/sourcing_form.html",
        org_context(membership, form=form, facility=facility),
    )


def home_card(membership: Membership) -> tuple[str, dict[str, Any]] | None:
    """On a buyer's home page: how far its chain is traced to the quarry."""
    org = membership.organisation
    if not org.has_chain:
        return None
    # The traced share alone, from the chain's kept figures.
    volumes = summary.kept(org).bought
    total = volumes["volume"]
    share = volumes["traced_volume"] / total if total else Decimal(0)
    return "supplychain/_home_card.html", {"traced_volume_share": share.quantize(Decimal("0.001"))}
