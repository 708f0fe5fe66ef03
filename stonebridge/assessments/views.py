"""The way into assessments from the menu: one page that says what each kind of evidence is
for and leads to it, so the menu stays one line on a phone."""

from django.http import HttpResponse
from django.shortcuts import render

from stonebridge.accounts.access import organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context


@organisation_view()
def home(request: PageRequest, membership: Membership) -> HttpResponse:
    return render(request, "assessments/home.html", org_context(membership))
