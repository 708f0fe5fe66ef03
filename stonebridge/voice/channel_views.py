"""A buyer's grievance channels: the facilities it sponsors one at, whether the worker page
names it, which supplier runs the factory's committee, and the poster to print."""

import segno
from django import forms
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from stonebridge.accounts.access import get_scoped_or_404, organisation_view, scoped
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.inputs import MAX_ID
from stonebridge.pages import PageRequest, attempt, org_context, submit

from .models import Route, Sponsor
from .services import channels as service
from .services.intake import covenants_of


class ChannelOpenForm(forms.Form):
    facility: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Facility"), queryset=None
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["facility"].queryset = service.facilities_of(organisation).exclude(  # type: ignore[attr-defined]
            voice_channel__sponsors__organisation=organisation
        )


def _sponsor(membership: Membership, channel_id: int) -> Sponsor:
    return get_scoped_or_404(
        Sponsor.objects.select_related("channel__facility", "channel__factory", "organisation"),
        membership,
        channel_id=channel_id,
    )


@organisation_view()
def channels(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = membership.organisation
    form = ChannelOpenForm(request.POST or None, organisation=organisation)
    opened = submit(
        request,
        form,
        lambda data: service.channel_open(
            organisation=organisation, by=request.user, facility=data["facility"]
        ),
    )
    if opened is not None:
        return redirect("voice:channels", org=organisation.slug)
    sponsors = list(
        scoped(Sponsor.objects.all(), membership)
        .select_related("channel__facility", "channel__factory")
        .order_by("channel__facility__name_zh", "pk")
    )
    for sponsor in sponsors:
        sponsor.link = service.intake_link(sponsor.channel)  # type: ignore[attr-defined]
        sponsor.factories = service.factories_for(  # type: ignore[attr-defined]
            organisation, sponsor.channel.facility
        )
    return render(
        request,
        "voice/channels.html",
        org_context(membership, sponsors=sponsors, form=form),
        status=400 if form.errors else 200,
    )


@organisation_view()
def channel_named(request: PageRequest, membership: Membership, channel_id: int) -> HttpResponse:
    sponsor = _sponsor(membership, channel_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    service.sponsor_set_named(
        sponsor=sponsor, by=request.user, named=request.POST.get("named") == "1"
    )
    return redirect("voice:channels", org=membership.organisation.slug)


@organisation_view()
def channel_factory(request: PageRequest, membership: Membership, channel_id: int) -> HttpResponse:
    sponsor = _sponsor(membership, channel_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    posted = request.POST.get("factory", "")
    # An id no row can have (not digits, beyond 64 bits) is refused like any other stranger.
    factory_id = int(posted) if posted.isdigit() and int(posted) <= MAX_ID else -1
    factory = Organisation.objects.filter(pk=factory_id).first() if posted else None
    if posted and factory is None:
        return HttpResponse(status=400)
    _, refusal = attempt(
        lambda: service.channel_set_factory(sponsor=sponsor, by=request.user, factory=factory)
    )
    if refusal:
        return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")
    return redirect("voice:channels", org=membership.organisation.slug)


@organisation_view()
def channel_poster(request: PageRequest, membership: Membership, channel_id: int) -> HttpResponse:
    # Imported here: loading it takes a moment and only posters need it.
    from weasyprint import CSS, HTML

    channel = _sponsor(membership, channel_id).channel
    link = service.intake_link(channel)
    with translation.override("zh-hans"):
        named = channel.sponsors.filter(named=True).select_related("organisation")
        html = render_to_string(
            "voice/poster.html",
            {
                "facility": channel.facility,
                "link": link,
                "qr": segno.make(link, error="m").svg_data_uri(scale=8),
                "committee": channel.factory_id is not None,
                "buyers": [s.organisation.name for s in named.order_by("pk")],
                "covenant": bool(covenants_of(channel)),
                "routes": Route,
            },
        )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("voice/poster.css"))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{channel.token}.pdf"'
    return response
