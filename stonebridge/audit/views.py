from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import organisation_view, scoped
from stonebridge.accounts.models import Membership
from stonebridge.pages import org_context
from stonebridge.paging import paginate

from .forms import EntryFilterForm
from .models import Entry
from .services import describe


@vary_on_headers("HX-Request")
@organisation_view()
def entries(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = EntryFilterForm(request.GET or None, membership=membership)
    found = scoped(Entry.objects.select_related("actor"), membership)
    if form.is_valid():
        found = form.filter(found)
    template = "audit/_entries.html" if request.htmx else "audit/entries.html"
    page = paginate(request, found)
    page.object_list = describe(page.object_list)
    context = org_context(membership, form=form, page=page)
    return render(request, template, context)
