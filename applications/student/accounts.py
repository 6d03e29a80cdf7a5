"""An account becomes a student's once its e-mail is verified: it is linked to the office's applicant record."""
from django.db import transaction

from applications.models import Applicant
from mobility.services.audit import audit_record


class LinkOutcome:
    LINKED = "linked"
    CREATED = "created"
    ALREADY = "already"
    CONFLICT = "conflict"  # the number is on record under another e-mail or account: the office decides
    NO_NUMBER = "no_number"


@transaction.atomic
def applicant_link_account(*, user) -> tuple[Applicant | None, str]:
    """Link `user` to the Applicant with their student number, or create one.

    An office record is linked only when its e-mail is the one the student just verified (or it
    has none): otherwise anyone could claim a classmate's number and see their record.
    """
    if hasattr(user, "applicant") and user.applicant is not None:
        return user.applicant, LinkOutcome.ALREADY
    number = (user.student_number or "").strip()
    if not number:
        return None, LinkOutcome.NO_NUMBER
    applicant = Applicant.objects.select_for_update().filter(student_number=number).first()
    if applicant is None:
        applicant = Applicant.objects.create(
            student_number=number, first_name=user.first_name, last_name=user.last_name, email=user.email, user=user,
        )
        audit_record(actor=user, action="applicant.created_at_signup", obj=applicant, data={"user": user.pk})
        return applicant, LinkOutcome.CREATED
    if applicant.user_id is not None or (applicant.email and applicant.email.lower() != user.email.lower()):
        audit_record(actor=user, action="applicant.link_refused", obj=applicant, data={"user": user.pk})
        return None, LinkOutcome.CONFLICT
    applicant.user = user
    applicant.email = applicant.email or user.email
    applicant.save(update_fields=["user", "email"])
    audit_record(actor=user, action="applicant.linked", obj=applicant, data={"user": user.pk})
    return applicant, LinkOutcome.LINKED
