"""The mapping to the EU Beneficiary Module (EWP `bm-mobilities` report-request, v0.1.0).

The schema is public and unstable: everything that knows its element names, order and code
values lives in this one module, so a new release is one change here. The BM's code lists
(DISTANCE_BANDS, TRANSPORT_MEANS, DIGITAL_SKILLS, ORGANISATION_TYPES) are in its data dictionary,
not in the schema; the values below are ours and are mapped here, in one place.
"""
import re
import unicodedata
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from traineeships.selectors import MobilityReport

NS = "https://github.com/erasmus-without-paper/ewp-specs-api-bm-mobilities/blob/stable-v1/endpoints/report-request.xsd"
PHONE_NS = "https://github.com/erasmus-without-paper/ewp-specs-types-phonenumber/tree/stable-v1"
ASCII_ID = re.compile(r"^[!-~]{1,64}$")
E164 = re.compile(r"^\+[0-9]{1,15}$")

# Our host types as BM organisation types, and the flags the BM asks for each.
ORGANISATION_TYPE = {
    "company": "ENTERPRISE", "university": "HEI", "research": "RESEARCH", "public_body": "PUBLIC_BODY",
    "ngo": "NGO", "school": "SCHOOL",
}
PUBLIC = {"public_body", "school"}
NON_PROFIT = {"public_body", "ngo", "school"}


def missing_items(report: MobilityReport) -> list[str]:
    """What the BM needs for this mobility and the portal does not have yet, in the reader's language."""
    facts = report.bm
    items = [label for key, label in (
        ("gender", _("gender")), ("birth_date", _("date of birth")), ("nationality", _("nationality")),
        ("main_language", _("main language of the traineeship")), ("distance_band", _("travel distance band")),
        ("transport_means", _("means of travel")),
    ) if not facts.get(key)]
    if facts.get("green_travel") is None:
        items.append(_("green travel"))
    if not facts.get("host_oid"):
        items += [label for key, label in (
            ("host_legal_address", _("host's address (or its OID)")), ("host_postal_code", _("host's postal code (or its OID)")),
            ("host_phone", _("host's phone (or its OID)")),
        ) if not facts.get(key)]
        if facts.get("host_below_250") is None:
            items.append(_("host's size (fewer than 250 employees or not)"))
    if not ASCII_ID.match(report.mobility_id):
        items.append(_("a mobility id of at most 64 plain characters"))
    return items


def _latin(text: str) -> str:
    """The legal name "using only Latin characters": Turkish letters and accents folded."""
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in folded if c.isascii() and not unicodedata.combining(c)).strip() or "-"


def _add(parent, name: str, value=None, ns: str = NS, **attrs):
    element = ET.SubElement(parent, f"{{{ns}}}{name}", {k.replace("_", "-"): v for k, v in attrs.items()})
    if value is not None:
        element.text = _text(value)
    return element


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _organisation_receiving(parent, report: MobilityReport) -> None:
    facts = report.bm
    org = _add(parent, "receiving-organization")
    _add(org, "id", f"host-{report.student_number}" if ASCII_ID.match(f"host-{report.student_number}") else "host")
    if facts.get("host_oid"):
        _add(org, "oid", facts["host_oid"])
        return
    _add(org, "legal-name", _latin(report.host_name))
    _add(org, "business-name", report.host_name)
    _add(org, "type", ORGANISATION_TYPE.get(report.host_type, "OTHER"))
    _add(org, "public-body", report.host_type in PUBLIC)
    _add(org, "non-profit", report.host_type in NON_PROFIT)
    _add(org, "below250", bool(facts.get("host_below_250")))
    _add(org, "legal-address", facts["host_legal_address"])
    _add(org, "country", report.host_country)
    _add(org, "postal-code", facts["host_postal_code"])
    _add(org, "city", report.host_city)
    phone = _add(org, "phone-number", ns=PHONE_NS)
    number = re.sub(r"[\s()./-]", "", facts["host_phone"])
    if E164.match(number):
        _add(phone, "e164", number, ns=PHONE_NS)
    else:
        _add(phone, "other-format", facts["host_phone"], ns=PHONE_NS)


def mobility_element(parent, report: MobilityReport) -> None:
    facts = report.bm
    m = _add(parent, "mobility")
    _add(m, "agreement-number", report.project_number)
    _add(m, "mobility-id", report.mobility_id)
    _add(m, "activity-type", report.activity_type)
    _add(m, "long-term", report.duration_days >= 60)
    _add(m, "blended", False)
    _add(m, "bip", False)
    _add(m, "international", report.international)
    _add(m, "doctoral", report.eqf_level == 8)
    _add(m, "combined", False)
    _add(m, "digital-skills", "YES" if report.digital_skills else "NONE")
    _add(m, "force-majeure", report.force_majeure)
    if report.force_majeure:
        _add(m, "force-majeure-expl", "Force majeure documented at the sending institution")
    p = _add(m, "participant")
    if ASCII_ID.match(report.student_number):
        _add(p, "participant-id", report.student_number)
    _add(p, "esi", report.esi)
    _add(p, "given-names", report.first_name)
    _add(p, "family-name", report.last_name)
    _add(p, "email", report.email)
    _add(p, "gender", facts["gender"])
    _add(p, "birth-date", facts["birth_date"].isoformat())
    _add(p, "nationality", facts["nationality"].upper())
    if report.activity_type == "HE-SMT":
        _add(p, "recent-graduate", report.recent_graduate)
    _add(p, "fewer-opportunities", report.fewer_opportunities)
    _add(m, "isced-f-code", report.isced)
    _add(m, "eqf-study-level", report.eqf_level)
    _add(m, "previous-participation", report.previous_months)
    _add(m, "main-language", facts["main_language"].upper(), native_speaker=_text(bool(facts.get("native_speaker"))))
    if report.la_id:
        _add(m, "la-id", report.la_id)
    sending = _add(m, "sending-organization")
    _add(sending, "id", "sending")
    _add(sending, "erasmus", report.sending_erasmus_code)
    _add(m, "sending-org-department", report.department_code)
    _organisation_receiving(m, report)
    _add(m, "receiving-country", report.host_country)
    _add(m, "receiving-city", report.host_city)
    _add(m, "distance-band", facts["distance_band"])
    _add(m, "transport-means", facts["transport_means"])
    _add(m, "green-travel", bool(facts["green_travel"]))
    d = _add(m, "duration")
    _add(d, "start-date", report.start_date.isoformat())
    _add(d, "end-date", report.end_date.isoformat())
    _add(d, "duration-calculated", (report.end_date - report.start_date).days + 1)
    _add(d, "interruption-duration", 0)
    _add(d, "mobility-duration", report.duration_days)
    _add(d, "nonfunded-duration", max(0, report.duration_days - report.funded_days))
    funded = _add(d, "funded-duration")
    months, extra = divmod(report.funded_days, 30)
    _add(funded, "total-days", report.funded_days)
    _add(funded, "full-months", months)
    _add(funded, "extra-days", extra)
    b = _add(m, "budget")
    _add(b, "zero-grant", report.grant == 0)
    _add(b, "student-monthly-grant", report.monthly_rate)
    if report.fewer_opportunities:
        _add(b, "fewer-opportunities-monthly", report.top_up_rate)
    _add(b, "individual-support", report.grant + report.top_up)
    _add(b, "mobility-grant", report.grant + report.top_up)


def report_request(reports: list[MobilityReport]) -> bytes:
    """The `bm-mobilities-report-request` document (UTF-8). The caller checks `missing_items` first."""
    ET.register_namespace("", NS)
    ET.register_namespace("p", PHONE_NS)
    root = ET.Element(f"{{{NS}}}bm-mobilities-report-request")
    for report in reports:
        mobility_element(root, report)
    ET.indent(root)
    # Serialising to text and encoding once is several times faster than ElementTree's byte writer.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")
