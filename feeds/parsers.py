"""Parse a feed body into flat raw records, one format at a time.

Every parser yields ``RawRecord``s whose ``fields`` use the same keys whatever the format (see ``FIELDS``), so
normalisation, hashing and de-duplication are format-blind. Parsers only read the partner's structure; they do not
judge values (that is ``feeds.normalise``). A document that cannot be read as a whole raises ``FeedParseError`` with
a message for staff; a single record that cannot be read becomes a ``RawRecord`` with ``error`` set.

Hashing happens here, on the flat raw fields plus ``PIPELINE_VERSION``, so an unchanged record is recognised before
any normalisation work (bump the version when normalisation changes, and every record is re-normalised once).
"""

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

import orjson
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

PIPELINE_VERSION = "3"  # 2: experience lower bounds, bare dates, headcount words, JSON-LD keys and names;
# 3: province-level places, qualified identifiers, remote work and direct apply, employer logos

# Flat record keys shared by all formats.
FIELDS = (
    "id",
    "title",
    "description",
    "employer_name",
    "uscc",
    "employer_place",
    "ownership",
    "industry",
    "places",  # list of place texts
    "address",
    "salary",
    "education",
    "employment_type",  # list of texts
    "experience",
    "headcount",
    "valid_through",
    "date_posted",
    "category",
    "tags",
    "remote",  # works remotely (JSON-LD jobLocationType TELECOMMUTE; CSV 远程办公; XML <remote>)
    "direct_apply",  # JSON-LD directApply: True, False, or None when not said
    "employer_logo",
)


class FeedParseError(Exception):
    """The document as a whole cannot be read; nothing from it is applied."""


@dataclass
class RawRecord:
    position: int  # 1-based record number (CSV: the line number in the file)
    _fields: dict | None = None
    error: str = ""  # set when this one record could not be read at all
    content_hash: str = ""
    # JSON-LD records are hashed on the partner's own object and read field by field only when they changed.
    node: dict | None = field(default=None, repr=False)
    ids: dict | None = field(default=None, repr=False)
    _external_id: str | None = None

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = _jsonld_fields(self.node, self.ids or {}) if self.node is not None else {}
        return self._fields

    @property
    def legacy_id(self) -> str:
        """The key this record had before PropertyValue identifiers were qualified by their scheme (the bare
        value), when it differs: a sync adopts records stored under it instead of closing and recreating them."""
        if self.node is None:
            return ""
        bare = _identifier(self.node.get("identifier"), qualified=False)
        return bare if bare and bare != self.external_id else ""

    @property
    def external_id(self) -> str:
        if self._external_id is None:
            if self._fields is None and self.node is not None:
                self._external_id = jsonld_key(self.node) or self.fields.get("id", "")
            else:
                self._external_id = (self.fields.get("id") or "").strip()
        return self._external_id


_VERSION_PREFIX = f"{PIPELINE_VERSION}\x00".encode()


def content_hash(fields: dict) -> str:
    payload = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(_VERSION_PREFIX + payload, digest_size=16).hexdigest()


# --- encodings ---

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_XML_DECL_FULL = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode(body: bytes, encoding: str, *, declared: str | None = None) -> str:
    """Bytes to text. ``encoding``: "auto", "utf-8" or "gbk" (GBK is read as its superset GB18030)."""
    if body.startswith(codecs.BOM_UTF8):
        if encoding == "gbk":
            raise FeedParseError(_("职位源设置为 GBK 编码，但文件以 UTF-8 BOM 开头，请把编码改为 UTF-8 或自动识别"))
        return _decode_utf8(body[len(codecs.BOM_UTF8) :], declared)
    if encoding == "gbk":
        try:
            return body.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FeedParseError(
                _("按 GBK 编码无法解码第 %(pos)d 字节附近的内容，请确认文件编码") % {"pos": exc.start + 1}
            ) from None
    if encoding == "utf-8":
        return _decode_utf8(body, declared)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FeedParseError(
            _("无法识别文件编码：既不是 UTF-8 也不是 GBK（第 %(pos)d 字节）") % {"pos": exc.start + 1}
        ) from None


def _decode_utf8(body: bytes, declared: str | None) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            body.decode("gb18030")
            hint = _("；内容看起来是 GBK 编码，请在职位源设置中把编码改为 GBK 或自动识别")
        except UnicodeDecodeError:
            pass
        label = declared or "UTF-8"
        raise FeedParseError(
            _("文件声明为 %(label)s，但第 %(pos)d 字节起不是有效的 UTF-8%(hint)s")
            % {"label": label, "pos": exc.start + 1, "hint": hint}
        ) from None


# --- helpers ---


def _text(value) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in ("value", "name", "@value", "credentialCategory"):
            if key in value:
                return _text(value[key])
        return ""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return str(value).strip()


def _number(value) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    return text


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- JSON-LD ---

_UNIT_SUFFIX = {"HOUR": "/小时", "DAY": "/天", "MONTH": "/月", "YEAR": "/年"}


def _types(node: dict) -> set[str]:
    return {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in _as_list(node.get("@type"))}


def _is_type(node, name: str) -> bool:
    """``name in _types(node)`` for a dict, with the common case (``"@type": name``) answered without a set."""
    if not isinstance(node, dict):
        return False
    return node.get("@type") == name or name in _types(node)


# The schema.org property each of our record fields is read from (what a pushing partner is told to correct).
JSONLD_PROPERTIES = {
    "id": "identifier",
    "title": "title",
    "description": "description",
    "employer_name": "hiringOrganization.name",
    "uscc": "hiringOrganization.identifier",
    "employer_place": "hiringOrganization.address",
    "industry": "industry",
    "places": "jobLocation",
    "address": "jobLocation.address.streetAddress",
    "salary": "baseSalary",
    "education": "educationRequirements",
    "employment_type": "employmentType",
    "experience": "experienceRequirements",
    "headcount": "totalJobOpenings",
    "valid_through": "validThrough",
    "date_posted": "datePosted",
    "category": "occupationalCategory",
    "remote": "jobLocationType",
    "direct_apply": "directApply",
}


def is_job_posting(node) -> bool:
    """A schema.org JobPosting object (``"@type"`` names it, alone or among others, plainly or as a URL)."""
    return _is_type(node, "JobPosting")


def _identifier(value, *, qualified: bool = True) -> str:
    """A posting's identifier: a string or number as it is; a PropertyValue's value qualified by its scheme
    (``propertyID``, else ``name``) as ``scheme:value``, so two schemes' "123" are two keys. ``qualified=False``
    gives the bare value (what keys were before they were qualified: ``RawRecord.legacy_id``)."""
    if type(value) is str:  # the common case, answered without building a list
        return value.strip()
    for item in _as_list(value):
        if isinstance(item, dict):
            text = _text(item.get("value", item.get("@value"))).strip()
            scheme = (_text(item.get("propertyID")) or _text(item.get("name"))).strip()
            if text and scheme and qualified:
                return f"{scheme}:{text}"
        else:
            text = _text(item).strip()
        if text:
            return text
    return ""


def _salary_text(value, *, currency: str = "") -> str:
    """schema.org baseSalary (MonetaryAmount, number or text) to text the salary parser reads. A currency other
    than CNY (``baseSalary.currency``, else the posting's ``salaryCurrency``) stays in the text, so the salary is
    kept as written and flagged, never read as yuan."""
    if value is None or value == "":
        return ""
    currency = currency.strip().upper()
    if not isinstance(value, dict):
        text = _text(value)
        return f"{text} {currency}" if text and currency and currency not in ("CNY", "RMB") else text
    currency = _text(value.get("currency")).upper() or currency
    described = _text(value.get("description"))
    if described and currency in ("", "CNY", "RMB"):
        return described  # the salary as written ("15-25K·13薪", "面议"): richer than min/max per unit
    inner = value.get("value")
    unit = ""
    if isinstance(inner, dict):
        unit = _text(inner.get("unitText")).upper()
        low, high = _text(inner.get("minValue")), _text(inner.get("maxValue"))
        single = _text(inner.get("value"))
        amount = f"{low}-{high}" if low and high else (low or high or single)
    else:
        amount = _text(inner)
        unit = _text(value.get("unitText")).upper()
    if not amount:
        return ""
    if currency and currency not in ("CNY", "RMB"):
        return f"{amount} {currency}/{unit or 'MONTH'}"  # kept as text, flagged: we never convert currencies
    if unit and unit not in _UNIT_SUFFIX:
        return f"{amount}元/{unit}"  # e.g. WEEK: kept as text, flagged
    return f"{amount}元{_UNIT_SUFFIX.get(unit, '/月')}"


def _place_texts(node, ids: dict) -> list[str]:
    places = []
    for location in _as_list(node):
        location = _deref(location, ids)
        if isinstance(location, str):
            places.append(location.strip())
            continue
        if not isinstance(location, dict):
            continue
        address = _deref(location.get("address", location), ids)
        if isinstance(address, str):
            places.append(address.strip())
        elif isinstance(address, dict):
            text = _region_locality(_text(address.get("addressRegion")), _text(address.get("addressLocality")))
            places.append(text or _text(address.get("postalCode")) or _text(location.get("name")))
    return [p for p in places if p]


def _region_locality(region: str, locality: str) -> str:
    """ "江苏省" + "苏州市"; "Jiangsu" + "Taizhou"; a romanised city under a Chinese region goes alone."""
    if not region or region == locality:
        return locality
    if not locality:
        return region
    if region.isascii() and locality.isascii():
        return f"{locality}, {region}"
    if locality.isascii() != region.isascii():
        return locality
    return f"{region}{locality}"


def _street(node, ids: dict) -> str:
    for location in _as_list(node):
        location = _deref(location, ids)
        if isinstance(location, dict):
            address = _deref(location.get("address"), ids)
            if isinstance(address, dict) and address.get("streetAddress"):
                return _text(address.get("streetAddress"))
    return ""


def _deref(node, ids: dict):
    if isinstance(node, dict) and len(node) == 1 and "@id" in node:  # a bare reference: {"@id": …}
        return ids.get(node["@id"], node)
    return node


def _website(org: dict) -> str:
    """Candidates for the organisation's own site, best first: ``url``, then each ``sameAs`` (space-separated; the
    normaliser picks the first usable one)."""
    return " ".join(_text(v) for v in [org.get("url"), *_as_list(org.get("sameAs"))] if _text(v))


def _logo(value, ids: dict) -> str:
    """``logo`` as a URL, or an ImageObject's ``contentUrl`` / ``url``."""
    for item in _as_list(_deref(value, ids)):
        if isinstance(item, dict):
            text = _text(item.get("contentUrl")) or _text(item.get("url"))
        else:
            text = _text(item)
        if text:
            return text.strip()
    return ""


def _organisation(node, ids: dict) -> tuple[str, str, str, str, str, str, str]:
    org = _deref(node, ids)
    if isinstance(org, str):
        return org.strip(), "", "", "", "", "", ""
    if not isinstance(org, dict):
        return "", "", "", "", "", "", ""
    uscc = ""
    for item in _as_list(org.get("identifier")) + _as_list(org.get("taxID")) + _as_list(org.get("leiCode")):
        if isinstance(item, dict):
            uscc = _text(item.get("value"))
        else:
            uscc = _text(item)
        if uscc:
            break
    address = _deref(org.get("address"), ids)
    if isinstance(address, dict):
        place = _region_locality(_text(address.get("addressRegion")), _text(address.get("addressLocality")))
    else:
        place = _text(address)
    ownership = _text(org.get("ownership") or org.get("additionalType"))
    industry = _text(org.get("industry"))
    return _text(org.get("name")), uscc, place, ownership, industry, _website(org), _logo(org.get("logo"), ids)


def jsonld_key(node: dict) -> str:
    """A posting's own key: its ``identifier`` (a PropertyValue's value, a string or a number), else its ``url``,
    else its ``@id``. Empty when it has none (``_jsonld_fields`` then derives one)."""
    return (_identifier(node.get("identifier")) or _text(node.get("url")) or _text(node.get("@id"))).strip()


def derived_key(*parts: str) -> str:
    """A stable key for a posting that names none: employer, title, place and date posted, hashed."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()
    return f"derived-{digest}"


def _jsonld_fields(node: dict, ids: dict) -> dict:
    name, uscc, employer_place, ownership, org_industry, website, logo = _organisation(
        node.get("hiringOrganization"), ids
    )
    title = _text(node.get("title")) or _text(node.get("name"))
    places = _place_texts(node.get("jobLocation"), ids)
    remote = any(_text(kind).strip().upper() == "TELECOMMUTE" for kind in _as_list(node.get("jobLocationType")))
    if remote and not places:  # a remote job names where its applicants may live instead of where it is
        places = _place_texts(node.get("applicantLocationRequirements"), ids)
    key = jsonld_key(node)
    derived = ""
    if not key and title and name:
        key = derived = derived_key(name, title, places[0] if places else "", _text(node.get("datePosted")))
    return {
        "id": key,
        "id_derived": derived,
        "title": title,
        "description": _text(node.get("description")),
        "employer_name": name,
        "employer_website": website,
        "uscc": uscc,
        "employer_place": employer_place,
        "ownership": ownership,
        "industry": _text(node.get("industry")) or org_industry,
        "places": places,
        "address": _street(node.get("jobLocation"), ids),
        "salary": _salary_text(node.get("baseSalary"), currency=_text(node.get("salaryCurrency"))),
        "education": _text(node.get("educationRequirements")),
        "employment_type": [_text(t) for t in _as_list(node.get("employmentType")) if _text(t)],
        "experience": _text(node.get("experienceRequirements")),
        "url": _text(node.get("url")),
        "headcount": _text(node.get("totalJobOpenings")),
        "valid_through": _text(node.get("validThrough")),
        "date_posted": _text(node.get("datePosted")),
        "category": _text(node.get("occupationalCategory")),
        "tags": " ".join(_text(t) for t in _as_list(node.get("jobBenefits")) if _text(t)),
        "qualifications": _text(node.get("qualifications")),
        "remote": remote,
        "direct_apply": _boolean(node.get("directApply")),
        "employer_logo": logo,
    }


def _boolean(value) -> bool | None:
    """schema.org Boolean: true / false, or the texts "True", "https://schema.org/False"; None when absent."""
    if isinstance(value, bool):
        return value
    text = _text(value).strip().lower().removeprefix("https://schema.org/").removeprefix("http://schema.org/")
    return {"true": True, "false": False}.get(text)


def load_json(body: bytes, encoding: str):
    """The JSON document. UTF-8 bytes go straight to orjson; GBK (or a failure) goes through ``decode`` so an
    encoding problem is reported as one, not as a JSON syntax error."""
    if encoding != "gbk":
        try:
            return orjson.loads(body.removeprefix(codecs.BOM_UTF8))
        except orjson.JSONDecodeError:
            pass
    text = decode(body, encoding)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "recursion" in str(exc).lower():
            raise FeedParseError(_("JSON 嵌套层数过多")) from None
        raise FeedParseError(
            _("JSON 格式错误（第 %(line)d 行第 %(col)d 列）：%(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None


def parse_jsonld(document) -> Iterator[RawRecord]:
    ids: dict = {}
    if isinstance(document, list):
        nodes = document
    elif isinstance(document, dict) and "@graph" in document:
        nodes = _as_list(document["@graph"])
        ids = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}
        nodes = [n for n in nodes if not (isinstance(n, dict) and _types(n) and "JobPosting" not in _types(n))]
    elif isinstance(document, dict) and "ItemList" in _types(document):
        nodes = []
        for element in _as_list(document.get("itemListElement")):
            if _is_type(element, "ListItem") and "item" in element:
                element = element["item"]
            nodes.append(element)
    elif isinstance(document, dict) and "JobPosting" in _types(document):
        nodes = [document]
    else:
        raise FeedParseError(_("JSON-LD 顶层应为 JobPosting 数组、ItemList 或含 @graph 的对象"))
    for position, node in enumerate(nodes, start=1):
        if not _is_type(node, "JobPosting"):
            yield RawRecord(position, error=_("不是 schema.org JobPosting 对象"))
            continue
        if ids:  # an @graph: the record's content includes the nodes it references, so hash what was read
            fields = _jsonld_fields(node, ids)
            yield RawRecord(position, fields, content_hash=content_hash(fields))
        else:
            digest = hashlib.blake2b(_VERSION_PREFIX + orjson.dumps(node, option=orjson.OPT_SORT_KEYS), digest_size=16)
            yield RawRecord(position, content_hash=digest.hexdigest(), node=node)


# --- XML ---

_XML_FIELDS = {
    "id": "id",
    "title": "title",
    "description": "description",
    "address": "address",
    "salary": "salary",
    "education": "education",
    "experience": "experience",
    "headcount": "headcount",
    "validThrough": "valid_through",
    "datePosted": "date_posted",
    "category": "category",
    "tags": "tags",
    "industry": "industry",
    "remote": "remote",
}


def _xml_fields(elem) -> dict:
    fields: dict = dict.fromkeys(FIELDS, "")
    fields["places"], fields["employment_type"] = [], []
    fields["id"] = (elem.get("id") or "").strip()
    for child in elem:
        tag = child.tag.rsplit("}", 1)[-1]
        text = (child.text or "").strip()
        if tag in _XML_FIELDS and text:
            fields[_XML_FIELDS[tag]] = text
        elif tag == "employer":
            fields["uscc"] = (child.get("uscc") or "").strip()
            for part in child:
                name = part.tag.rsplit("}", 1)[-1]
                value = (part.text or "").strip()
                if name == "name":
                    fields["employer_name"] = value
                elif name == "uscc" and value:
                    fields["uscc"] = value
                elif name == "city":
                    fields["employer_place"] = value
                elif name == "ownership":
                    fields["ownership"] = value
                elif name == "industry" and not fields["industry"]:
                    fields["industry"] = value
            if not fields["employer_name"]:
                fields["employer_name"] = (child.text or "").strip()
        elif tag in ("location", "city"):
            if text:
                fields["places"].append(text)
        elif tag == "locations":
            fields["places"].extend((loc.text or "").strip() for loc in child if (loc.text or "").strip())
        elif tag == "employmentType" and text:
            fields["employment_type"].append(text)
    return fields


def parse_xml(body: bytes, encoding: str) -> Iterator[RawRecord]:
    match = _XML_DECL.match(body[:300].removeprefix(codecs.BOM_UTF8))
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared and declared.replace("-", "") in ("gbk", "gb2312", "gb18030"):
        text = decode(body, "gbk" if encoding == "auto" else encoding, declared=declared)
    elif declared and encoding == "auto":
        text = decode(body, "utf-8", declared=declared)
    else:
        text = decode(body, encoding, declared=declared)
    # We decoded the text ourselves (expat itself reads no GBK), so its declaration must not be read again.
    text = _XML_DECL_FULL.sub("", text, count=1)
    position = 0
    root_seen = False
    try:
        for event, elem in SafeET.iterparse(io.StringIO(text), events=("start", "end"), forbid_dtd=True):
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if tag not in ("jobs", "vacancies"):
                        raise FeedParseError(_("XML 根元素应为 <jobs>，实际为 <%(tag)s>") % {"tag": tag})
                continue
            if tag != "job":
                continue
            position += 1
            fields = _xml_fields(elem)
            elem.clear()
            yield RawRecord(position, fields, content_hash=content_hash(fields))
    except DefusedXmlException:
        raise FeedParseError(_("XML 含 DTD、实体声明或外部引用，出于安全原因拒绝处理")) from None
    except ParseError as exc:
        line, column = exc.position
        raise FeedParseError(
            _("XML 格式错误（第 %(line)d 行第 %(col)d 列）：%(msg)s")
            % {"line": line, "col": column + 1, "msg": str(exc).split(":")[0]}
        ) from None


# --- CSV ---

CSV_HEADERS = {
    "职位编号": "id",
    "岗位编号": "id",
    "职位名称": "title",
    "岗位名称": "title",
    "单位名称": "employer_name",
    "招聘单位": "employer_name",
    "统一社会信用代码": "uscc",
    "单位所在地": "employer_place",
    "单位性质": "ownership",
    "所属行业": "industry",
    "行业": "industry",
    "工作地点": "places",
    "详细地址": "address",
    "工作地址": "address",
    "薪资": "salary",
    "薪资待遇": "salary",
    "薪酬": "salary",
    "学历要求": "education",
    "学历": "education",
    "工作性质": "employment_type",
    "经验要求": "experience",
    "工作经验": "experience",
    "招聘人数": "headcount",
    "需求人数": "headcount",
    "截止日期": "valid_through",
    "有效期至": "valid_through",
    "发布日期": "date_posted",
    "职位类别": "category",
    "福利待遇": "tags",
    "职位标签": "tags",
    "职位描述": "description",
    "岗位职责": "description",
    "远程办公": "remote",
}
CSV_REQUIRED = ("id", "title", "employer_name", "places")
_PLACE_SPLIT = re.compile(r"[、;；|]")


def parse_csv(text: str) -> Iterator[RawRecord]:
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise FeedParseError(_("CSV 表头无法读取：%(msg)s") % {"msg": exc}) from None
    columns = [CSV_HEADERS.get(name.strip().lstrip("\ufeff")) for name in header]
    missing = [name for name, key in _required_names() if key not in columns]
    if missing:
        raise FeedParseError(
            _("CSV 缺少必需的列：%(cols)s（表头需为中文列名，见对接文档）") % {"cols": "、".join(missing)}
        )
    width = len(header)
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                yield RawRecord(
                    line,
                    {"id": row[columns.index("id")].strip() if len(row) > columns.index("id") else ""},
                    error=_("该行有 %(n)d 列，表头有 %(w)d 列") % {"n": len(row), "w": width},
                )
                continue
            fields: dict = dict.fromkeys(FIELDS, "")
            fields["places"], fields["employment_type"] = [], []
            for key, cell in zip(columns, row, strict=True):
                if key is None:
                    continue
                cell = cell.strip()
                if key == "places":
                    fields["places"] = [p.strip() for p in _PLACE_SPLIT.split(cell) if p.strip()]
                elif key == "employment_type":
                    fields["employment_type"] = [cell] if cell else []
                elif cell and not fields[key]:
                    fields[key] = cell
            yield RawRecord(line, fields, content_hash=content_hash(fields))
    except csv.Error as exc:
        raise FeedParseError(
            _("CSV 格式错误（第 %(line)d 行）：%(msg)s") % {"line": reader.line_num, "msg": exc}
        ) from None


def _required_names():
    names = {}
    for name, key in CSV_HEADERS.items():
        names.setdefault(key, name)
    return [(names[key], key) for key in CSV_REQUIRED]


def parse(body: bytes, *, format: str, encoding: str = "auto") -> Iterator[RawRecord]:
    """Records of a feed body. Raises FeedParseError (possibly part-way: callers apply nothing then)."""
    if format == "xml":
        return parse_xml(body, encoding)
    if format == "jsonld":
        return parse_jsonld(load_json(body, encoding))
    if format == "csv":
        return parse_csv(decode(body, encoding))
    raise FeedParseError(_("未知的职位源格式：%(format)s") % {"format": format})
