from django.http import HttpRequest

from .access import organisations_for


def organisations(request: HttpRequest) -> dict[str, object]:
    """The organisations in the switcher of the page header."""
    return {"my_organisations": organisations_for(request.user).order_by("name")}
