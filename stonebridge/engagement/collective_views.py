"""A covenant member's pages of collective leverage: the suppliers it shares with other members,
the joint actions proposed there, joining them, and the joint plan."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import organisation_view
from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.pages import PageRequest, attempt, org_context, submit

from . import collective_forms as forms
from .collective import (
    get_collective_or_404,
    participants_for,
    participation,
    shared_suppliers,
    sharing_of,
    visible_collectives,
)
from .services import collective as services


def _member(membership: Membership) -> Organisation:
    """Collective leverage is for buyers in a covenant; for anyone else the pages are not
    there."""
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.BUYER or organisation.covenant_id is None:
        raise Http404
    return organisation


@organisation_view()
def collective_home(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _member(membership)
    assert organisation.covenant is not None
    suppliers, _withheld = shared_suppliers(organisation.covenant, reader=organisation)
    collectives = visible_collectives(organisation)
    return render(
        request,
        "engagement/collective/home.html",
        org_context(
            membership,
            suppliers=suppliers,
            collectives=collectives,
            sharing=sharing_of(organisation),
        ),
    )


# What a member lets the covenant see of it is the organisation's own word: its owners' to give.
@organisation_view(write=Role.OWNER)
def collective_sharing(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _member(membership)
    form = forms.CovenantSharingForm(request.POST or None, instance=sharing_of(organisation))
    if submit(
        request,
        form,
        lambda data: services.covenant_sharing_set(
            organisation=organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("Your choice was saved."))
        return redirect("engagement:collective_home", org=organisation.slug)
    return render(
        request,
        "engagement/collective/form.html",
        org_context(membership, form=form, title=_("What the covenant's members may see")),
    )


@organisation_view()
def collective_propose(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _member(membership)
    form = forms.CollectiveProposeForm(request.POST or None, organisation=organisation)
    made = submit(
        request,
        form,
        lambda data: services.collective_propose(
            organisation=organisation, by=request.user, **data
        ),
    )
    if made is not None:
        messages.success(request, _("Your proposal is now listed for the members who buy there."))
        return redirect("engagement:collective", org=organisation.slug, collective_id=made.pk)
    return render(
        request,
        "engagement/collective/form.html",
        org_context(membership, form=form, title=_("Propose joint action")),
    )


@organisation_view()
def collective(request: PageRequest, membership: Membership, collective_id: int) -> HttpResponse:
    """The proposal, who takes part as far as the reader may know, and the joint plan for those
    who joined."""
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    own = participation(found, organisation)
    return render(
        request,
        "engagement/collective/detail.html",
        org_context(
            membership,
            collective=found,
            own=own,
            participants=participants_for(found, organisation),
            actions=found.actions.all() if own is not None else None,
            join_form=forms.CollectiveJoinForm(),
            action_form=forms.JointActionForm(),
        ),
    )


def _back(membership: Membership, collective_id: int) -> HttpResponse:
    return redirect(
        "engagement:collective", org=membership.organisation.slug, collective_id=collective_id
    )


@organisation_view()
@require_POST
def collective_join(
    request: PageRequest, membership: Membership, collective_id: int
) -> HttpResponse:
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    form = forms.CollectiveJoinForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.collective_join(
            collective=found, organisation=organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("You take part. The joint plan is below."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return _back(membership, collective_id)


@organisation_view()
@require_POST
def collective_leave(
    request: PageRequest, membership: Membership, collective_id: int
) -> HttpResponse:
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    _done, refusal = attempt(
        lambda: services.collective_leave(
            collective=found, organisation=organisation, by=request.user
        )
    )
    if refusal:
        messages.error(request, refusal)
    return _back(membership, collective_id)


@organisation_view()
@require_POST
def joint_action_add(
    request: PageRequest, membership: Membership, collective_id: int
) -> HttpResponse:
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    form = forms.JointActionForm(request.POST)
    if not submit(
        request,
        form,
        lambda data: services.joint_action_add(
            collective=found, organisation=organisation, by=request.user, **data
        ),
    ):
        errors = [str(e) for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors) or _("Nothing was added."))
    return _back(membership, collective_id)


@organisation_view()
@require_POST
def joint_action_done(
    request: PageRequest, membership: Membership, collective_id: int, joint_action_id: int
) -> HttpResponse:
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    action = found.actions.filter(pk=joint_action_id).first()
    if action is None:
        raise Http404
    _done, refusal = attempt(
        lambda: services.joint_action_done(
            action=action, organisation=organisation, by=request.user
        )
    )
    if refusal:
        messages.error(request, refusal)
    return _back(membership, collective_id)


@organisation_view()
def collective_close(
    request: PageRequest, membership: Membership, collective_id: int
) -> HttpResponse:
    """Ask the proposing member to confirm, with a note to the participants; then close. Other
    members have no such page."""
    organisation = _member(membership)
    found = get_collective_or_404(membership, collective_id)
    if found.proposed_by_id != organisation.pk:
        raise Http404
    if found.closed:
        return _back(membership, collective_id)
    form = forms.CollectiveCloseForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services.collective_close(
            collective=found, organisation=organisation, by=request.user, **data
        ),
    ):
        messages.success(request, _("The joint action is closed. Its plan stays readable."))
        return _back(membership, collective_id)
    return render(
        request,
        "engagement/collective/close.html",
        org_context(
            membership,
            collective=found,
            participants=participants_for(found, organisation),
            form=form,
        ),
    )
