from django.db.models import QuerySet

from appeals.models import Appeal, AppealStatus


def appeals_open_count(*, call, departments=None) -> int:
    rows = Appeal.objects.filter(call=call, status=AppealStatus.FILED)
    if departments is not None:
        rows = rows.filter(application__department__code__in=departments)
    return rows.count()


def appeals_for_call(*, call) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(call=call)
        .select_related("application__applicant", "application__department", "publication", "answered_by")
        .order_by("status", "-filed_at")
    )


def appeals_of_application(*, application) -> QuerySet[Appeal]:
    return Appeal.objects.filter(application=application).select_related("publication").order_by("filed_at", "id")
