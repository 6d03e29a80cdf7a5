"""The contract's CSV files (§2, §3, §7) and the office's exports (insurance list, statistics)."""
import csv
import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from internships.eligibility import programme_rules, student_ineligibility
from internships.models import CalendarChoice, InternshipApplication, Offer, OfferStatus, StudentNote
from internships.rules import offers as rule
from internships.rules.cities import CityChoice, cities_text

ISTANBUL = ZoneInfo("Europe/Istanbul")


def instant_text(value: dt.datetime) -> str:
    return value.astimezone(ISTANBUL).isoformat()


def calendars_csv(*, programme, stream) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["code", "start", "end", "working_days", "week"])
    for c in programme.calendars.order_by("position"):
        writer.writerow([c.code, c.start.isoformat(), c.end.isoformat(), c.working_days, c.week])


def cities_of(application) -> str:
    return cities_text([CityChoice(c["plate"], tuple(c["districts"])) for c in application.cities or []])


def students_csv(*, programme, stream) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["student_number", "department_code", "eligible", "reason", "application", "calendars", "cities"])
    rules = programme_rules(programme)
    applications = {a.student_id: a for a in InternshipApplication.objects.filter(student__programme=programme)}
    chosen = defaultdict(list)
    for choice in (CalendarChoice.objects.filter(application__student__programme=programme)
                   .select_related("calendar").order_by("application_id", "rank")):
        chosen[choice.application_id].append(choice.calendar.code)
    for student in programme.students.select_related("department__department").order_by("student_number"):
        reason = student_ineligibility(student, rules)
        application = applications.get(student.pk)
        writer.writerow([
            student.student_number, student.department.department.code, "no" if reason else "yes", reason or "",
            application.state if application else "none",
            ";".join(chosen[application.pk]) if application else "",
            cities_of(application) if application else "",
        ])


OFFER_COLUMNS = ["offer_id", "position", "student_number", "calendar", "kind", "seq", "status", "holds",
                 "answer_by", "insured", "note"]


def offer_rows(*, programme) -> list[list[str]]:
    offers = list(Offer.objects.filter(position__programme=programme)
                  .select_related("position", "student", "calendar").order_by("position__code", "seq"))
    noted = set(StudentNote.objects.filter(student__programme=programme).values_list("student_id", flat=True))
    by_position = defaultdict(list)
    for offer in offers:
        by_position[offer.position_id].append(offer)
    holders = set()
    for group in by_position.values():
        index = rule.holder_index([rule.OfferState(o.seq, o.status, o.answer_by) for o in group])
        if index is not None:
            holders.add(sorted(group, key=lambda o: o.seq)[index].pk)
    return [[
        str(o.pk), o.position.code, o.student.student_number, o.calendar.code, o.kind, str(o.seq), o.status,
        "yes" if o.pk in holders else "no", instant_text(o.answer_by), "yes" if o.insured_at else "no",
        "yes" if o.student_id in noted else "no",
    ] for o in offers]


def offers_csv(*, programme, stream) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OFFER_COLUMNS)
    writer.writerows(offer_rows(programme=programme))


INSURANCE_COLUMNS = ["student_number", "first_name", "last_name", "department_code", "position", "host_unit",
                     "calendar", "start", "end", "insured"]


def insurance_csv(*, programme, week_of: dt.date, stream) -> None:
    """Accepted or started internships whose calendar starts in the week (Monday–Sunday) of `week_of`:
    what the office enters with the social security system (Law 5510)."""
    monday = week_of - dt.timedelta(days=week_of.weekday())
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(INSURANCE_COLUMNS)
    offers = (Offer.objects.filter(position__programme=programme, calendar__start__gte=monday,
                                   calendar__start__lt=monday + dt.timedelta(days=7),
                                   status__in=[OfferStatus.ACCEPTED, OfferStatus.STARTED])
              .select_related("student__department__department", "position__host_unit", "calendar")
              .order_by("calendar__start", "student__student_number"))
    for o in offers:
        if o.status == OfferStatus.ACCEPTED and o.position.holder_id != o.pk:
            continue  # standing by behind another offer: nothing to insure yet
        writer.writerow([o.student.student_number, o.student.first_name, o.student.last_name,
                         o.student.department.department.code, o.position.code,
                         o.position.host_unit.name if o.position.host_unit else "", o.calendar.code,
                         o.calendar.start.isoformat(), o.calendar.end.isoformat(), "yes" if o.insured_at else "no"])


STATISTICS_COLUMNS = ["department_code", "students", "eligible", "applications_complete", "offers", "accepted",
                      "started", "cancelled"]


def statistics_rows(*, programme) -> list[list[str]]:
    rules = programme_rules(programme)
    stats: dict[str, Counter] = defaultdict(Counter)
    complete = set(InternshipApplication.objects.filter(student__programme=programme, completed_at__isnull=False)
                   .values_list("student_id", flat=True))
    for s in programme.students.select_related("department__department"):
        row = stats[s.department.department.code]
        row["students"] += 1
        row["eligible"] += student_ineligibility(s, rules) is None
        row["applications_complete"] += s.pk in complete
    for code, status in Offer.objects.filter(position__programme=programme).values_list(
            "student__department__department__code", "status"):
        stats[code]["offers"] += 1
        if status in ("accepted", "started", "cancelled"):
            stats[code][status] += 1
    return [[code, *(str(stats[code][c]) for c in STATISTICS_COLUMNS[1:])] for code in sorted(stats)]


def statistics_csv(*, programme, stream) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(STATISTICS_COLUMNS)
    writer.writerows(statistics_rows(programme=programme))
