"""The e-ticket's forms: a QR code (SVG on the page, PNG in the mail) and an iCalendar file of the fair's days."""

import io
from datetime import UTC, datetime, timedelta

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .models import Fair, Registration


def qr_svg(token: str, *, title: str) -> SafeString:
    """An inline SVG (no XML declaration) with a <title> for screen readers. Safe to show: segno writes only
    path data and the title, which it escapes."""
    buffer = io.BytesIO()
    segno.make(token, error="m").save(
        buffer,
        kind="svg",
        border=2,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr",
        lineclass=None,
        omitsize=True,
    )
    return mark_safe(buffer.getvalue().decode("utf-8"))  # noqa: S308 - see the docstring


def qr_png(token: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(token, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fair_ics(fair: Fair, registration: Registration | None = None) -> str:
    """The fair's opening hours on each of its days, as one repeating event; with the ticket code when given."""
    starts = timezone.make_aware(datetime.combine(fair.starts_on, fair.opens_at))
    ends = timezone.make_aware(datetime.combine(fair.starts_on, fair.closes_at))
    days = (fair.ends_on - fair.starts_on).days + 1
    site = settings.SITE_URL.rstrip("/")
    description = [fair.name, f"{fair.venue} {fair.address}".strip()]
    if registration is not None:
        description.append(f"电子票号 / Ticket: {registration.code_display}")
    description.append(site + reverse("fairs:detail", args=[fair.slug]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//talentfair//fairs//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:fair-{fair.pk}-{registration.code if registration else 'public'}@talentfair",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(ends)}",
        *([f"RRULE:FREQ=DAILY;COUNT={days}"] if days > 1 else []),
        f"SUMMARY:{_ics_text(fair.name)}",
        f"LOCATION:{_ics_text(' '.join(filter(None, [fair.city.name, fair.venue, fair.address])))}",
        f"DESCRIPTION:{_ics_text(chr(10).join(description))}",
        f"URL:{site}{reverse('fairs:detail', args=[fair.slug])}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_ics_text(fair.name)}",
        f"TRIGGER:-PT{int(timedelta(hours=12).total_seconds() // 60)}M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"


def ticket_attachments(registration: Registration, token: str) -> list[tuple[str, bytes, str]]:
    """What the confirmation mail carries: the QR code and the calendar file."""
    return [
        (f"ticket-{registration.code}.png", qr_png(token), "image/png"),
        (
            f"fair-{registration.fair.slug}.ics",
            fair_ics(registration.fair, registration).encode("utf-8"),
            "text/calendar",
        ),
    ]
