from applications.models import ExamSession


def exam_session_for_call(*, call) -> ExamSession:
    """The exam session a call counts: by the call's exam date, or one of its own if it names none."""
    if call.exam_session:
        session, _ = ExamSession.objects.get_or_create(
            name=f"exam-{call.exam_session.isoformat()}", defaults={"date": call.exam_session},
        )
    else:
        session, _ = ExamSession.objects.get_or_create(name=f"call-{call.code}")
    return session
