"""Dashboard figures and report jobs over the API."""

from ninja import Router

router = Router(tags=["reports"])
