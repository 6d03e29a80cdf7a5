from applications.models import ExamSession


def exam_session_name(*, call) -> str:
    return f"exam-{call.exam_session.isoformat()}" if call.exam_session else f"call-{call.code}"


def exam_session_for_call(*, call) -> ExamSession:
    """The exam session a call counts: by the call's exam date, or one of its own if it names none."""
    session, _ = ExamSession.objects.get_or_create(
        name=exam_session_name(call=call), defaults={"date": call.exam_session} if call.exam_session else {},
    )
    return session
