from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    """How many unread notices the header shows; counted only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user).unread().count()
        )
    }
