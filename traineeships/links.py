"""One-time links for the host supervisor, who has no account.

The token is Django's signing (TimestampSigner, with max_age): it names a HostLink row, which is
marked used on the first successful answer, so a forwarded or replayed link does nothing.
"""
import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse

from traineeships.models import HostLink

SALT = "traineeships.host-link"
MAX_AGE = dt.timedelta(days=30)


class LinkInvalid(Exception):
    """`reason`: bad, expired or used."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def host_link_create(*, placement, purpose: str, email: str, at: dt.datetime, agreement=None) -> str:
    """A new link (earlier unused links of the same purpose stop working); returns its path."""
    HostLink.objects.filter(placement=placement, purpose=purpose, used_at__isnull=True).update(used_at=at)
    link = HostLink.objects.create(placement=placement, agreement=agreement, purpose=purpose, email=email, created_at=at)
    token = signing.TimestampSigner(salt=SALT).sign_object({"link": link.pk, "purpose": purpose})
    return reverse("traineeships:host", args=[token])


def host_link_read(token: str, *, lock: bool = False) -> HostLink:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise LinkInvalid("expired") from None
    except signing.BadSignature:
        raise LinkInvalid("bad") from None
    rows = HostLink.objects.select_related("placement__call", "placement__application__applicant", "agreement")
    if lock:
        assert transaction.get_connection().in_atomic_block
        rows = rows.select_for_update(of=("self",))
    link = rows.filter(pk=data.get("link"), purpose=data.get("purpose")).first()
    if link is None:
        raise LinkInvalid("bad")
    if link.used_at is not None:
        raise LinkInvalid("used")
    return link
