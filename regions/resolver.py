"""One place-name resolver for every input path: forms, feeds, the demo and the API.

"苏州", "苏州市", "江苏苏州", "江苏省苏州市", "Suzhou" and "320500" all resolve to 苏州市; "上海" alone resolves to the
province; an unknown or ambiguous place resolves to nothing, with the reason — never to a guess.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from .models import City, Province

# Romanised names shared by two cities. Only "Suzhou" has a convention strong enough to follow: it means 苏州;
# 宿州 is written with its province ("Suzhou, Anhui"). "Taizhou" (泰州 / 台州) stays ambiguous.
PREFERRED_ROMANISATION = {"suzhou": "320500"}

_SEPARATORS = re.compile(r"[\s,，、·・/\\|()（）\-–—]+")
_ENGLISH_NOISE = re.compile(r"\b(new area|new district|city|district|province|municipality|shi|qu|sheng|china|prc)\b")


@dataclass(frozen=True)
class PlaceMatch:
    province: Province | None = None
    city: City | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.province is not None


@dataclass(frozen=True)
class _Tables:
    provinces: dict[str, Province]  # code -> province
    cities: dict[str, City]  # code -> city (real cities and districts only)
    province_places: dict[str, City]  # province code -> the province as a place (``City.is_province_level``)
    province_aliases: list[tuple[str, str]]  # (alias, province code), longest alias first
    city_aliases: dict[str, list[str]]  # alias -> city codes
    english_provinces: dict[str, str]
    english_cities: dict[str, list[str]]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """GB/T 2260 reference data is fixed by a migration, so one copy per process is safe."""
    provinces = {p.code: p for p in Province.objects.all()}
    cities, province_places = {}, {}
    for city in City.objects.all():
        city.province = provinces[city.province_id]
        if city.is_province_level:
            province_places[city.province_id] = city
        else:
            cities[city.code] = city
    province_aliases = []
    for p in provinces.values():
        for alias in {p.name, p.display_name}:
            province_aliases.append((alias, p.code))
    province_aliases.sort(key=lambda pair: -len(pair[0]))
    city_aliases: dict[str, list[str]] = {}
    english_cities: dict[str, list[str]] = {}
    for c in cities.values():
        for alias in _city_aliases(c.name):
            city_aliases.setdefault(alias, []).append(c.code)
        english_cities.setdefault(_english_key(c.name_en), []).append(c.code)
    english_provinces = {_english_key(p.name_en): p.code for p in provinces.values()}
    return _Tables(
        provinces, cities, province_places, province_aliases, city_aliases, english_provinces, english_cities
    )


def _city_aliases(name: str) -> set[str]:
    aliases = {name}
    for suffix in ("新区", "市", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            aliases.add(name.removesuffix(suffix))
    return aliases


def _english_key(text: str) -> str:
    text = _ENGLISH_NOISE.sub(" ", text.lower().replace("'", ""))
    return " ".join(text.split())


def clear_cache() -> None:
    _tables.cache_clear()


def province_place(province: Province) -> City:
    """The province as a place (``上海``, ``江苏省``): where a vacancy that names no city is placed."""
    return _tables().province_places[province.code]


def resolve_place(text: str | None) -> PlaceMatch:
    """Resolve a free-text place name or a GB/T 2260 code to a province and, where given, a city."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return PlaceMatch(reason=_("未填写工作地点"))
    tables = _tables()
    compact = _SEPARATORS.sub("", raw)
    if compact.isdigit():
        return _resolve_code(compact, tables)
    if compact.isascii():
        return _resolve_english(raw, tables)
    return _resolve_chinese(compact.removeprefix("中国"), tables, raw)


def _resolve_code(code: str, tables: _Tables) -> PlaceMatch:
    if len(code) != 6:
        return PlaceMatch(reason=_("行政区划代码应为6位数字：%(code)s") % {"code": code})
    if code in tables.cities:
        city = tables.cities[code]
        return PlaceMatch(province=city.province, city=city)
    if code in tables.provinces:
        return PlaceMatch(province=tables.provinces[code])
    parent = code[:4] + "00"  # a county-level code belongs to its prefecture city
    if parent in tables.cities:
        city = tables.cities[parent]
        return PlaceMatch(province=city.province, city=city)
    province = tables.provinces.get(code[:2] + "0000")
    if province is None:
        return PlaceMatch(reason=_("行政区划代码 %(code)s 不在长三角三省一市范围内") % {"code": code})
    if province.code == "310000" and code in ("310100", "310200"):  # 上海市市辖区 / the former 县 group
        return PlaceMatch(province=province)
    return PlaceMatch(
        reason=_("行政区划代码 %(code)s 不是%(province)s已知的地市代码") % {"code": code, "province": province.name}
    )


def _resolve_chinese(text: str, tables: _Tables, raw: str) -> PlaceMatch:
    province_code = None
    for alias, code in tables.province_aliases:
        if text.startswith(alias):
            province_code, text = code, text.removeprefix(alias)
            break
    if province_code and not text:
        return PlaceMatch(province=tables.provinces[province_code])
    candidates = _city_prefix_matches(text, tables)
    if province_code:
        candidates = [code for code in candidates if tables.cities[code].province_id == province_code]
    if len(candidates) == 1:
        city = tables.cities[candidates[0]]
        return PlaceMatch(province=city.province, city=city)
    if len(candidates) > 1:
        names = "、".join(tables.cities[c].full_name for c in candidates)
        return PlaceMatch(reason=_("“%(place)s”有歧义：%(names)s") % {"place": raw, "names": names})
    return PlaceMatch(reason=_("无法识别的地点：“%(place)s”") % {"place": raw})


def _city_prefix_matches(text: str, tables: _Tables) -> list[str]:
    """Cities whose name the text starts with ("苏州工业园区" → 苏州市), longest name first."""
    for length in range(len(text), 1, -1):
        codes = tables.city_aliases.get(text[:length])
        if codes:
            return list(codes)
    return []


def _resolve_english(raw: str, tables: _Tables) -> PlaceMatch:
    words = _english_key(_SEPARATORS.sub(" ", raw)).split()
    province_code = None
    for i in range(len(words)):
        # "Suzhou, Anhui", "Anhui Suzhou"
        if words[i] in tables.english_provinces:
            province_code = tables.english_provinces[words[i]]
            words = words[:i] + words[i + 1 :]
            break
    key = " ".join(words)
    if province_code and not key:
        return PlaceMatch(province=tables.provinces[province_code])
    codes = tables.english_cities.get(key, [])
    if province_code:
        codes = [c for c in codes if tables.cities[c].province_id == province_code]
    elif len(codes) > 1 and key in PREFERRED_ROMANISATION:
        codes = [PREFERRED_ROMANISATION[key]]
    if len(codes) == 1:
        city = tables.cities[codes[0]]
        return PlaceMatch(province=city.province, city=city)
    if len(codes) > 1:
        names = "、".join(tables.cities[c].full_name for c in codes)
        return PlaceMatch(reason=_("“%(place)s”有歧义：%(names)s") % {"place": raw, "names": names})
    return PlaceMatch(reason=_("无法识别的地点：“%(place)s”") % {"place": raw})
