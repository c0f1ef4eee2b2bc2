"""Helpers for the accounts / applications / employer-centre tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.services import profile_update, resume_upload
from employers.models import MembershipRole, MembershipStatus
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery"


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "简历.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


def make_graduate(*, resume: bool = True, **kwargs):
    user = UserFactory(**kwargs)
    profile_update(
        user=user, name="王小明", mobile="13812345678", school="复旦大学", major="计算机科学", degree=3, cohort=2026
    )
    if resume:
        resume_upload(user=user, file=pdf_upload(), filename="王小明简历.pdf")
    return user


def make_recruiter(employer, *, role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE):
    return MembershipFactory(employer=employer, role=role, status=status).user


def worker_mails(mail_dir, exclude=frozenset()) -> list[dict]:
    """Mails the Celery worker wrote with the file backend: [{"to", "subject", "body"}], oldest first."""
    from email.header import decode_header, make_header

    separator = "-" * 79
    out = []
    for path in sorted(set(mail_dir.iterdir()) - set(exclude), key=lambda p: p.stat().st_mtime):
        for chunk in path.read_text(encoding="utf-8").split(separator):
            if not chunk.strip():
                continue
            head, _, body = chunk.strip().partition("\n\n")
            headers = {}
            for line in head.splitlines():
                if line[:1].isspace() and headers:
                    key = list(headers)[-1]
                    headers[key] += line
                elif ":" in line:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
            subject = str(make_header(decode_header(headers.get("subject", ""))))
            out.append({"to": headers.get("to", ""), "subject": subject, "body": body})
    return out
