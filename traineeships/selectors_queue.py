"""The approvers' queues: versions waiting for a party the user signs for, oldest first."""
from django.db.models import Exists, OuterRef, Q, QuerySet

from traineeships.models import Approval, DepartmentApprover, LAState, LearningAgreement, Party

# Which versions each role signs: undergraduates by the commission and the department coordinator,
# graduate students by the programme coordinator (document 000).
ROLE_SIGNS_GRADUATE = {
    Party.INTERNSHIP_COMMISSION: False, Party.ERASMUS_COORDINATOR: False, Party.PROGRAMME_COORDINATOR: True,
}


def approver_queue(*, user) -> QuerySet[LearningAgreement]:
    """One query, however many roles and versions: a filter per role OR-ed together."""
    condition = Q(pk__in=[])
    for department_code, role in DepartmentApprover.objects.filter(user=user).values_list("department__code", "role"):
        decided = Approval.objects.filter(agreement=OuterRef("pk"), party=role)
        condition |= Q(placement__department_code=department_code, graduate=ROLE_SIGNS_GRADUATE[role]) & ~Q(Exists(decided))
    return (
        LearningAgreement.objects.filter(state=LAState.SUBMITTED).filter(condition)
        .select_related("placement__call", "placement__application__applicant")
        .order_by("submitted_at", "pk")
    )


def is_approver(user) -> bool:
    return user.is_authenticated and DepartmentApprover.objects.filter(user=user).exists()
