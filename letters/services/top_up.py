"""The fewer-opportunities top-up of one student (domain-rules §9.3): added to their grant, shown apart."""
import datetime as dt

from django.db import transaction

from letters.checks import LetterData, country_rates, grant_preview
from letters.models import Placement
from letters.services.core import call_lock, hold_refresh, letter_of
from letters.services.promotion import promotion_after
from mobility.services.audit import audit_record


def placement_top_up_set(*, placement: Placement, value: bool, at: dt.datetime, actor=None) -> Placement:
    with transaction.atomic():
        call = call_lock(placement.call_id)
        placement = Placement.objects.select_related("letter").get(pk=placement.pk)
        if placement.fewer_opportunities == value:
            return placement
        placement.fewer_opportunities = value
        placement.save(update_fields=["fewer_opportunities"])
        letter = letter_of(placement)
        if letter is not None:
            data = LetterData(host_name=letter.host_name, host_type=letter.host_type, country=letter.country, city=letter.city,
                              start_date=letter.start_date, end_date=letter.end_date, submitted_at=letter.submitted_at)
            preview = grant_preview(call=call, data=data, rates=country_rates(call), fewer_opportunities=value)
            if preview is not None:
                letter.top_up_eur = preview.top_up
                letter.save(update_fields=["top_up_eur"])
        hold_refresh(placement, call)
        audit_record(actor=actor, action="placement.top_up", obj=placement, data={"value": value, "at": at.isoformat()})
        promotion_after(call=call, at=at, actor=actor)
    return placement
