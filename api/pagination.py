"""Keyset ("cursor") pagination that follows whatever ordering the queryset already has.

A cursor holds the ordering values of the last row sent; the next page is ``WHERE (ordering) > (those values)``,
so page 50,000 costs what page 1 costs (no OFFSET). Any ``order_by`` works — model fields and annotations (such as
a search rank), ascending or descending, NULLs first or last — as long as it ends in the primary key, which is
appended when missing. A cursor is tied to its ordering: using it with another ``sort`` is refused with 400.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, FloatField, OrderBy, Q
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Column:
    name: str
    descending: bool
    nulls_after: bool  # in this ordering, do NULLs come after every value?
    nullable: bool = True  # False for NOT NULL columns: no "OR … IS NULL", which would keep the index from being used


def _columns(queryset) -> list[Column]:
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    pk_name = queryset.model._meta.pk.name
    columns: list[Column] = []
    for item in ordering:
        if isinstance(item, str):
            descending = item.startswith("-")
            name = item.lstrip("-")
            nulls_after = not descending  # PostgreSQL: ASC → NULLS LAST, DESC → NULLS FIRST
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
            if item.nulls_last:
                nulls_after = True
            elif item.nulls_first:
                nulls_after = False
            else:
                nulls_after = not descending
        else:
            raise TypeError(f"Keyset pagination cannot follow the ordering {item!r}")
        name = pk_name if name == "pk" else name
        columns.append(Column(name, descending, nulls_after, _nullable(queryset.model, name)))
        if name == pk_name:
            return columns
    columns.append(Column(pk_name, columns[-1].descending if columns else False, True, False))
    return columns


def _nullable(model, name: str) -> bool:
    """Whether a column of the ordering may hold NULL (an annotation, such as a search rank, may)."""
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:
        return True


def _encode_value(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _decode_value(value):
    if isinstance(value, dict):
        if "t" in value:
            moment = parse_datetime(value["t"])
            if moment is None:
                raise ValueError("bad datetime")
            return moment
        if "d" in value:
            return Decimal(value["d"])
        raise ValueError("bad value")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise ValueError("bad value")
    return value


def _signature(columns: list[Column]) -> str:
    text = ",".join(f"{c.name}:{int(c.descending)}:{int(c.nulls_after)}" for c in columns)
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def _after(column: Column, value) -> Q:
    """Rows strictly after ``value`` in this column's order."""
    if value is None:
        return Q(pk__in=[]) if column.nulls_after else Q(**{f"{column.name}__isnull": False})
    q = Q(**{f"{column.name}__{'lt' if column.descending else 'gt'}": value})
    return q | Q(**{f"{column.name}__isnull": True}) if column.nulls_after and column.nullable else q


def _equal(column: Column, value) -> Q:
    return Q(**{f"{column.name}__isnull": True}) if value is None else Q(**{column.name: value})


def keyset_filter(columns: list[Column], values: list) -> Q:
    condition = Q(pk__in=[])
    prefix = Q()
    for column, value in zip(columns, values, strict=True):
        condition |= prefix & _after(column, value)
        prefix &= _equal(column, value)
    first, value = columns[0], values[0]
    if value is not None:
        # Redundant with the above, but a plain range on the first column lets PostgreSQL use its index.
        bound = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value})
        if first.nulls_after and first.nullable:
            bound |= Q(**{f"{first.name}__isnull": True})
        condition &= bound
    return condition


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return DEFAULT_PAGE_SIZE
        maximum = settings.API_MAX_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= maximum:
            raise ValidationError(
                {self.page_size_query_param: [_("必须是 1 到 %(max)d 之间的整数。") % {"max": maximum}]}
            )
        return size

    def _decode_cursor(self, raw: str, columns: list[Column]) -> list:
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(data, dict) or data.get("s") != _signature(columns):
                raise ValueError("cursor of another ordering")
            values = [_decode_value(v) for v in data["v"]]
            if len(values) != len(columns):
                raise ValueError("wrong length")
            return values
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
            raise ValidationError(
                {self.cursor_query_param: [_("游标无效或不属于当前排序方式，请从第一页重新开始。")]}
            ) from None

    def _encode_cursor(self, columns: list[Column], row) -> str:
        read = row.__getitem__ if isinstance(row, dict) else row.__getattribute__
        values = [_encode_value(read(column.name)) for column in columns]
        payload = json.dumps({"s": _signature(columns), "v": values}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        columns = _columns(queryset)
        # A computed ordering (a search rank, an alias such as a salary bound) is selected under its own name, so
        # the cursor can read its value and the next page can filter on it.
        fields = {f.name for f in queryset.model._meta.concrete_fields} | {
            f.attname for f in queryset.model._meta.concrete_fields
        }
        for i, column in enumerate(columns):
            if column.name not in fields:
                key = f"_k{i}"
                expression = F(column.name)
                if isinstance(queryset.query.annotations[column.name].output_field, FloatField):
                    # ts_rank() is a float4: its text form does not round-trip, so tied rows would be skipped.
                    expression = Cast(expression, FloatField())
                queryset = queryset.annotate(**{key: expression})
                columns[i] = Column(key, column.descending, column.nulls_after)
        order = []
        for column in columns:
            # Only spell out NULLS FIRST/LAST where it differs from PostgreSQL's default, or the index is not used.
            expression = F(column.name)
            if column.descending:
                order.append(expression.desc(nulls_last=True) if column.nulls_after else expression.desc())
            else:
                order.append(expression.asc() if column.nulls_after else expression.asc(nulls_first=True))
        queryset = queryset.order_by(*order)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            queryset = queryset.filter(keyset_filter(columns, self._decode_cursor(raw, columns)))
        row_fields = getattr(view, "row_fields", None)
        if row_fields:
            queryset = queryset.values(*row_fields, *[c.name for c in columns if c.name not in row_fields])
        rows = list(queryset[: page_size + 1])
        self.has_next = len(rows) > page_size
        rows = rows[:page_size]
        self.next_cursor = self._encode_cursor(columns, rows[-1]) if self.has_next else None
        return rows

    def get_next_link(self) -> str | None:
        if not self.next_cursor:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "next_cursor": self.next_cursor, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "next_cursor", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "URL of the next page; null on the last page.",
                },
                "next_cursor": {"type": "string", "nullable": True, "description": "The cursor in `next`."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from the previous page's `next_cursor`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1–{settings.API_MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
            },
        ]
