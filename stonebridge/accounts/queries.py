"""Read-only questions the account pages ask."""

from .models import Invitation, hash_secret


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link stands for: the link carries the secret, the database its hash."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_secret(token))
        .first()
    )
