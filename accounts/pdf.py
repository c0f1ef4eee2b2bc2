"""What in a PDF would run by itself when an employer opens it.

A résumé is read by recruiters on their own machines, so a PDF that carries script, launches a program, submits a
form or hides other files is refused at upload (``accounts.services.check_resume``). Plain links (URI actions) and
"open at this page" destinations are what CV exporters write and stay allowed.

The walk follows every object reachable from the trailer — the catalogue, pages, annotations, form fields, name
trees, outlines — through object streams and indirect references alike, and reads names as the PDF parser decodes
them, so ``/J#61vaScript`` is ``/JavaScript`` here as it is in a viewer.
"""

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Action types (the /S of an action dictionary) that do more than move within the document or open a link.
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/SubmitForm": "SubmitForm",
    "/ImportData": "ImportData",
    "/GoToE": "GoToE",  # opens an embedded document
    "/Rendition": "Rendition",  # plays media, may carry script
}
# Keys whose presence alone means script, automatic actions or carried files.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "AA",  # additional actions: run on open, close, print, page view, field focus...
    "/EmbeddedFiles": "EmbeddedFiles",
    "/EF": "EmbeddedFiles",  # a file specification with the file itself inside
    "/XFA": "XFA",  # XML forms, which carry their own script
    "/RichMediaContent": "RichMedia",
}
ACTIVE_SUBTYPES = {
    "/FileAttachment": "EmbeddedFiles",
    "/RichMedia": "RichMedia",
    "/Movie": "RichMedia",
    "/Screen": "RichMedia",
    "/Sound": "RichMedia",
    "/3D": "RichMedia",
}
# A 5 MB file holds far fewer; a file with more is refused rather than walked for ever.
MAX_OBJECTS = 500_000


class TooComplex(Exception):
    """The PDF has more objects than a résumé could; treated as unreadable."""


def active_content(reader: PdfReader) -> list[str]:
    """The kinds of active content in the document, sorted (empty: none)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise TooComplex
        if isinstance(node, DictionaryObject):
            _inspect(node, found)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return sorted(found)


def _inspect(node: DictionaryObject, found: set[str]) -> None:
    for name, kind in ACTIVE_KEYS.items():
        if name in node:
            found.add(kind)
    action = node.get("/S")
    if action in ACTIVE_ACTIONS:
        found.add(ACTIVE_ACTIONS[action])
    subtype = node.get("/Subtype")
    if subtype in ACTIVE_SUBTYPES:
        found.add(ACTIVE_SUBTYPES[subtype])
    if node.get("/Type") == "/EmbeddedFile":
        found.add("EmbeddedFiles")
    opening = node.get("/OpenAction")
    if opening is not None:
        opening = opening.get_object()
        # A destination ([page /Fit]) or a GoTo action only chooses where the document opens.
        if isinstance(opening, DictionaryObject) and opening.get("/S") not in (None, "/GoTo"):
            found.add("OpenAction")
