"""Reads after the letter: the mobilities of a call as the EU report sees them (placement-files §14)."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from letters.grants import funded_days as letter_funded_days
from letters.grants import mobility_days
from letters.models import LetterDecision, Placement, PlacementStatus
from mobility.models import Call, CallDepartment
from traineeships.models import LAState, LearningAgreement

SMT_PROGRAMMES = ("KA131-SMT", "KA171-SMT")


@dataclass(frozen=True)
class MobilityReport:
    """One mobility as reported: what the CSV and the BM XML are written from. No special-category data."""

    mobility_id: str
    activity_type: str
    project_number: str
    esi: str
    student_number: str
    first_name: str
    last_name: str
    email: str
    eqf_level: int
    isced: str
    recent_graduate: bool
    sending_erasmus_code: str
    sending_pic: str
    department_code: str
    host_name: str
    host_city: str
    host_country: str
    host_type: str
    start_date: date
    end_date: date
    duration_days: int
    funded_days: int
    monthly_rate: Decimal
    grant: Decimal
    top_up_rate: Decimal
    top_up: Decimal
    fewer_opportunities: bool
    completed: bool
    force_majeure: bool
    international: bool
    previous_months: Decimal
    la_id: str = ""
    digital_skills: bool | None = None
    # Collected in the Learning Agreement flow (§14); empty when not asked yet.
    bm: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "completed" if self.completed else "planned"


def esi(schac: str, student_number: str) -> str:
    return f"urn:schac:personalUniqueCode:int:esi:{schac}:{student_number}"


def call_report_problems(call: Call) -> list[str]:
    """What a call lacks before it can be exported at all: one line each."""
    problems = []
    missing = [name for name, value in (
        ("erasmus_code", call.institution_erasmus_code), ("schac", call.institution_schac), ("pic", call.institution_pic),
    ) if not value]
    if missing:
        problems.append(_("%(code)s: the call has no institution %(fields)s (call file: institution)") % {
            "code": call.code, "fields": ", ".join(missing)})
    for cd in CallDepartment.objects.filter(call=call, isced="").select_related("department").order_by("department__code"):
        problems.append(_("%(code)s: department %(department)s has no ISCED-F code (call file: departments[].isced)") % {
            "code": call.code, "department": cd.department.code})
    return problems


def reported_placements(call: Call):
    approved_primary = Q(status=PlacementStatus.PRIMARY, letter__decision=LetterDecision.APPROVED)
    return (
        Placement.objects.filter(Q(call=call) & (approved_primary | Q(status=PlacementStatus.COMPLETED)))
        .select_related("letter", "certificate", "mobility", "application__applicant", "application__department")
        .prefetch_related(Prefetch(
            "agreements", queryset=LearningAgreement.objects.exclude(state=LAState.SUPERSEDED).order_by("-version"),
            to_attr="current_agreements",
        ))
        .order_by("order")
    )


def mobility_reports(call: Call) -> list[MobilityReport]:
    isced = dict(CallDepartment.objects.filter(call=call).values_list("department__code", "isced"))
    eqf = call.eqf_levels()
    activity = "HE-SMT" if call.programme in SMT_PROGRAMMES else "HE-SMS"
    reports = []
    for p in reported_placements(call):
        letter, applicant = p.letter, p.application.applicant
        certificate = getattr(p, "certificate", None)
        agreement = p.current_agreements[0] if p.current_agreements else None
        if certificate is not None:
            start, end = certificate.start_date, certificate.end_date
            duration, funded = certificate.actual_days, certificate.funded_days
            grant, rate = certificate.final_grant_eur, certificate.monthly_rate_eur
        else:
            start, end = letter.start_date, letter.end_date
            duration = mobility_days(start, end)
            funded = letter_funded_days(duration, call.funded_months)
            grant, rate = letter.grant_eur, letter.monthly_rate_eur
        top_up_rate = call.fewer_opportunities_top_up_eur if p.fewer_opportunities else Decimal("0.00")
        top_up = p.held_eur - grant if certificate is not None else letter.top_up_eur
        reports.append(MobilityReport(
            mobility_id=f"{call.code}-{p.student_number}", activity_type=activity, project_number=call.project_number,
            esi=esi(call.institution_schac, p.student_number), student_number=p.student_number,
            first_name=applicant.first_name, last_name=applicant.last_name, email=applicant.email,
            eqf_level=eqf[p.application.level], isced=isced.get(p.department_code, ""),
            recent_graduate=p.application.recent_graduate,
            sending_erasmus_code=call.institution_erasmus_code, sending_pic=call.institution_pic,
            department_code=p.department_code,
            host_name=letter.host_name, host_city=letter.city, host_country=letter.country, host_type=letter.host_type,
            start_date=start, end_date=end, duration_days=duration, funded_days=funded, monthly_rate=rate, grant=grant,
            top_up_rate=top_up_rate, top_up=max(top_up, Decimal("0.00")), fewer_opportunities=p.fewer_opportunities,
            completed=certificate is not None, force_majeure=bool(certificate and certificate.force_majeure),
            international=call.programme.startswith("KA171"),
            previous_months=(Decimal(max(0, 360 - p.erasmus_days_left)) / 30).quantize(Decimal("0.01")),
            la_id=f"{call.code}-{p.student_number}-LA{agreement.version}" if agreement and agreement.state == LAState.APPROVED else "",
            digital_skills=agreement.digital_skills if agreement else None,
            bm=bm_facts(p, agreement),
        ))
    return reports


def bm_facts(placement: Placement, agreement: LearningAgreement | None) -> dict:
    """What the BM needs beyond the call files: the student's and office's answers, else the LA's."""
    mobility = getattr(placement, "mobility", None)
    facts = {
        "gender": "", "birth_date": None, "nationality": "", "main_language": "", "native_speaker": False,
        "distance_band": "", "transport_means": "", "green_travel": None, "host_oid": "", "host_legal_address": "",
        "host_postal_code": "", "host_phone": "", "host_below_250": None, "recognition": "",
    }
    if mobility is not None:
        facts.update({key: getattr(mobility, key) for key in facts})
    if agreement is not None:
        facts["main_language"] = facts["main_language"] or agreement.language
        facts["host_below_250"] = agreement.host_below_250 if facts["host_below_250"] is None else facts["host_below_250"]
        facts["host_legal_address"] = facts["host_legal_address"] or agreement.host_address
        facts["host_phone"] = facts["host_phone"] or agreement.mentor_phone
    return facts
