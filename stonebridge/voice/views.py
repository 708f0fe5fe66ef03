"""The worker-voice hub: one menu entry (申诉 / Grievances) leading to an organisation's cases,
channels, procedure, remedies and surveys."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stonebridge.accounts.access import organisation_view
from stonebridge.accounts.models import Membership


@organisation_view()
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(request, "voice/home.html", {"organisation": membership.organisation})
