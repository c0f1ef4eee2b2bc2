"""The partner API (read-only, /api/v1/) and the outbound schema.org feed (/feeds/jobs.jsonld).

Thin views: querysets come from ``api.selectors``, filters from the search page's FilterSet, pagination is keyset.
"""

import json
import threading
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters import BooleanFilter, CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import APIException, NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from employers.models import Industry
from feeds.services import feed_push, feed_push_delete
from jobs.events import events_after
from jobs.filters import JobFilter
from jobs.jsonld import job_posting_jsonld
from jobs.selectors import RANK_CANDIDATES, ordered_results, search_facets
from regions.models import City, Province
from talentfair.core.clients import client_ip
from talentfair.core.ratelimit import hit

from . import selectors, serializers
from .pagination import KeysetPagination
from .schema import BOOLEAN_VALUES

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=(
        "Mirror mode: every vacancy that changed at or after this ISO 8601 time, including closed, expired and "
        "withdrawn ones (see `status`), ordered by `updated_at` then `id`; `sort` is ignored. Without an offset the "
        "time is Asia/Shanghai. URL-encode the '+' of an offset."
    ),
)


class ApiView:
    """What every endpoint shares: keyset pagination, and refusing query values PostgreSQL cannot hold."""

    pagination_class = KeysetPagination

    def initial(self, request, *args, **kwargs):
        # The site is Chinese unless a person presses "English"; a program asks with Accept-Language instead.
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)
        errors = {}
        typed = self._typed_parameters()
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                errors[name] = [_("参数不能包含空字符（NUL）。")]
            elif name in typed and any(value == "" for value in values):
                errors[name] = [_("参数值为空：请省略该参数或给出一个值。")]
            elif name in self._boolean_parameters() and any(v not in BOOLEAN_VALUES for v in values):
                errors[name] = [_("只能是 true、false、1 或 0。")]
        if errors:
            raise ValidationError(errors)

    def _boolean_parameters(self) -> set[str]:
        filterset = getattr(self, "filterset_class", None)
        if filterset is None:
            return set()
        return {name for name, f in filterset.base_filters.items() if isinstance(f, BooleanFilter)}

    def _typed_parameters(self) -> set[str]:
        """Parameters whose documented type is not free text: an empty value is an error, not "no filter"."""
        names = {"page_size", "cursor", "updated_since"}
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None:
            names |= {name for name, f in filterset.base_filters.items() if not isinstance(f, CharFilter)}
        return names


# Where a partner finds the values a refused reference parameter may take.
_VALUES_AT = {
    "province": "/api/v1/provinces/",
    "city": "/api/v1/cities/",
    "industry": "/api/v1/industries/",
    "fair": "/api/v1/fairs/",
}


class JobSearchFilterBackend(DjangoFilterBackend):
    """The search page's ``jobs.filters.JobFilter``, strictly: where the page ignores a bad value with a message,
    the API refuses the request with 400 and the same message (a partner's program should learn of its mistake)."""

    def get_valid_filterset(self, request, queryset, view) -> JobFilter:
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
            for name, messages in errors.items():
                if name in _VALUES_AT:
                    messages.append(_("可用的值见 %(url)s。") % {"url": _VALUES_AT[name]})
            raise ValidationError(errors)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_valid_filterset(request, queryset, view)
        if "updated_since" in request.query_params:
            return filterset.qs.order_by("updated_at", "id")  # mirror order, whatever `sort` says; nothing capped
        # The page's order, and its cap: relevance ranks the first RANK_CANDIDATES matches.
        return ordered_results(filterset, filterset.qs.order_by())


@extend_schema_view(
    get=extend_schema(
        summary="Search vacancies",
        description=(
            "The search page's filters and sorts (the same definition, `jobs.filters.JobFilter`): the first page is "
            "the search page's first page, in the same order. A value the page would ignore with a message is "
            "refused here with 400. Open vacancies only, unless `updated_since` is given. As on the page, "
            f"`sort=relevance` (the default when `q` is given) ranks at most the first {RANK_CANDIDATES} matches; "
            "to walk every match of a broad query use `sort=newest`."
        ),
        parameters=[UPDATED_SINCE],
        tags=["vacancies"],
    )
)
class JobListView(ApiView, generics.ListAPIView):
    serializer_class = serializers.JobSerializer
    row_fields = selectors.JOB_VALUES  # the paginator reads rows as dicts
    filter_backends = [JobSearchFilterBackend]
    filterset_class = JobFilter

    def get_queryset(self):
        raw = self.request.query_params.get("updated_since")
        if raw is not None:
            return selectors.jobs_changed_since(selectors.parse_updated_since(raw))
        return selectors.jobs_public()

    def paginate_queryset(self, queryset):
        return selectors.with_reference_names(super().paginate_queryset(queryset))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


CHANGES_AFTER = OpenApiParameter(
    "after",
    {"type": "integer", "minimum": 0, "maximum": 2**62},
    description="The last `seq` you applied (0 or absent: from the beginning)",
)
CHANGES_LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
    description="Events per page (default 500)",
)


@extend_schema(
    summary="Change stream: every change to the public catalogue, in order",
    description="What EURES calls getChanges. Each event says a vacancy was created, changed, shown again, closed, "
    "expired or hidden, with the vacancy as it is now. Start with `after=0` (the stream begins with every vacancy "
    "public when it started), apply each event's `vacancy` (upsert when `status` is open, delete otherwise), keep "
    "`last_seq`, and ask again with `after=last_seq`. Numbers only grow; an event is never inserted behind one you "
    "have seen. docs/api.md has a complete mirror loop.",
    parameters=[CHANGES_AFTER, CHANGES_LIMIT],
    responses=serializers.ChangesSerializer,
    tags=["vacancies"],
)
class ChangesView(ApiView, generics.GenericAPIView):
    pagination_class = None
    serializer_class = serializers.ChangesSerializer

    def _typed_parameters(self) -> set[str]:
        return {"after", "limit"}

    def get(self, request):
        after = _int_parameter(request, "after", default=0, low=0, high=2**62)
        limit = _int_parameter(request, "limit", default=500, low=1, high=settings.API_MAX_PAGE_SIZE)
        events = events_after(after, limit=limit)
        changes = serializers.changes_data(events, now=timezone.now())
        last = events[-1].seq if events else after
        following = None
        if len(events) == limit:
            following = request.build_absolute_uri(f"{request.path}?{urlencode({'after': last, 'limit': limit})}")
        return Response({"results": changes, "last_seq": last, "next": following})  # already serialised


class PayloadTooLarge(APIException):
    status_code = 413
    default_code = "too_large"

    def __init__(self, limit: int):
        super().__init__(_("请求体超过 %(kb)d KB：一次推送一个职位。") % {"kb": limit // 1024})


def _int_parameter(request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("请填写整数。")]}) from None
    if not low <= value <= high:
        raise ValidationError({name: [_("应在%(low)d到%(high)d之间。") % {"low": low, "high": high}]})
    return value


class CanPush(BasePermission):
    """A partner's API key tied to one of its centre's feed sources (``ApiKey.feed_source``)."""

    message = gettext_lazy("该 API 密钥没有推送权限：请工作人员在签发密钥时选择写入的职位源。")

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise NotAuthenticated(_("推送职位需要 API 密钥（Authorization: Api-Key …）。"))
        return request.auth.feed_source_id is not None


PUSH_OUTCOME_STATUS = {"created": 201, "held": 202, "updated": 200, "unchanged": 200, "closed": 200}


@extend_schema_view(
    put=extend_schema(
        summary="Push one of your vacancies (create or replace)",
        description="The body is one schema.org JobPosting object, as in your feed. It goes through the same "
        "normalisation, employer matching, trust level and review as your pulled feed, into the same provenance: "
        "201 published, 202 held for review (an employer not yet trusted for your source, or not yet matched), "
        "200 updated or unchanged (pushing the same body again changes nothing). A record we cannot read is refused "
        "whole with 400 and the reasons per schema.org property in `error.details`; nothing is written.",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: serializers.PushResultSerializer,
            201: serializers.PushResultSerializer,
            202: serializers.PushResultSerializer,
        },
        tags=["partner push"],
    ),
    delete=extend_schema(
        summary="Withdraw one of your vacancies",
        description="Closes the vacancy unless another centre lists it too (as when a record leaves your feed). "
        "200 with the result; 404 when your source has no such open record.",
        responses={200: serializers.PushResultSerializer},
        tags=["partner push"],
    ),
)
class PartnerJobView(ApiView, generics.GenericAPIView):
    """``/api/v1/partner/jobs/{external_id}``: a partner centre's own vacancies, written with its API key."""

    pagination_class = None
    permission_classes = [CanPush]
    serializer_class = serializers.PushResultSerializer

    def put(self, request, external_id: str):
        if len(request.body) > settings.API_PUSH_MAX_BYTES:
            raise PayloadTooLarge(settings.API_PUSH_MAX_BYTES)
        result = self._call(feed_push, external_id=external_id, document=request.data)
        return self._respond(result, external_id)

    def delete(self, request, external_id: str):
        result = self._call(feed_push_delete, external_id=external_id)
        if result.outcome == "not_found":
            raise NotFound(_("该职位源没有编号为“%(id)s”的在招记录。") % {"id": external_id[:100]})
        return self._respond(result, external_id)

    def _call(self, service, **kwargs):
        try:
            return service(source=self.request.auth.feed_source, **kwargs)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None

    def _respond(self, result, external_id: str) -> Response:
        body = serializers.push_result_data(result, external_id=external_id, now=timezone.now())
        return Response(body, status=PUSH_OUTCOME_STATUS[result.outcome])


@extend_schema(summary="One vacancy", tags=["vacancies"])
class JobDetailView(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.JobSerializer

    def get_object(self):
        row = selectors.job_row(self.kwargs["pk"])
        if row is None:
            raise NotFound(_("没有这个职位。"))
        return row


@extend_schema(
    summary="Facet counts for a search",
    description="The search page's counts for the same parameters as the vacancy search: how many open vacancies "
    "match, and what each option of province, city (once a province is chosen), industry, ownership, education "
    "and employment type would give under the other filters. Exact up to 1,000 matches; beyond that estimated "
    "from a sample, as on the page (`estimated`).",
    responses=serializers.FacetsSerializer,
    filters=True,  # the vacancy search's parameters (not a list view, so not found by default)
    tags=["vacancies"],
)
class JobFacetsView(ApiView, generics.GenericAPIView):
    filter_backends = [JobSearchFilterBackend]
    filterset_class = JobFilter
    serializer_class = serializers.FacetsSerializer

    def get_queryset(self):
        return selectors.jobs_public()

    def get(self, request):
        base = self.get_queryset()
        filterset = JobSearchFilterBackend().get_valid_filterset(request, base, self)
        total, estimated, facets = search_facets(filterset, base)
        return Response(
            {
                "total": total,
                "estimated": estimated,
                "facets": {
                    facet.name: [
                        {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected}
                        for o in facet.shown
                    ]
                    for facet in facets
                },
            }
        )


@extend_schema_view(get=extend_schema(summary="Employers (verified or centre-imported)", tags=["employers"]))
class EmployerListView(ApiView, generics.ListAPIView):
    serializer_class = serializers.EmployerSerializer
    queryset = selectors.employers_public()


@extend_schema(summary="One employer", tags=["employers"])
class EmployerDetailView(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.EmployerSerializer
    queryset = selectors.employers_public()


@extend_schema_view(get=extend_schema(summary="Provinces (GB/T 2260)", tags=["reference"]))
class ProvinceListView(ApiView, generics.ListAPIView):
    pagination_class = None  # reference data: a few dozen rows, one response
    serializer_class = serializers.ProvinceSerializer
    queryset = Province.objects.order_by("code")


@extend_schema_view(
    get=extend_schema(
        summary="Cities and Shanghai districts (GB/T 2260)",
        parameters=[OpenApiParameter("province", str, description="Only this province's cities, e.g. 320000")],
        tags=["reference"],
    )
)
class CityListView(ApiView, generics.ListAPIView):
    pagination_class = None  # reference data: a few dozen rows, one response
    serializer_class = serializers.CitySerializer

    def get_queryset(self):
        cities = City.objects.order_by("code")
        province = self.request.query_params.get("province")
        return cities.filter(province_id=province) if province else cities


@extend_schema_view(get=extend_schema(summary="Industries (GB/T 4754-2017 sections)", tags=["reference"]))
class IndustryListView(ApiView, generics.ListAPIView):
    pagination_class = None  # reference data: a few dozen rows, one response
    serializer_class = serializers.IndustrySerializer
    queryset = Industry.objects.order_by("code")


@extend_schema_view(get=extend_schema(summary="Job fairs, latest first", tags=["fairs"]))
class FairListView(ApiView, generics.ListAPIView):
    serializer_class = serializers.FairSerializer
    queryset = selectors.fairs_with_totals()


@extend_schema(summary="One job fair, with its organisers and live public counters", tags=["fairs"])
class FairDetailView(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.FairSerializer
    queryset = selectors.fairs_with_totals()
    lookup_field = "slug"


@extend_schema_view(
    get=extend_schema(
        summary="A fair's exhibitors with booth, zone and positions (empty until the organisers publish the list)",
        tags=["fairs"],
    )
)
class FairParticipantListView(ApiView, generics.ListAPIView):
    serializer_class = serializers.ParticipantSerializer

    def get_queryset(self):
        fair = generics.get_object_or_404(selectors.fairs_with_totals(), slug=self.kwargs["slug"])
        return selectors.fair_participants(fair)


FEED_BATCH = 1000


def _feed_chunks():
    yield '{"@context":"https://schema.org","@type":"ItemList","itemListElement":['
    last_id, first = 0, True
    while True:
        batch = list(selectors.jobs_for_feed().filter(id__gt=last_id).order_by("id")[:FEED_BATCH])
        for job in batch:
            item = job_posting_jsonld(job)
            item.pop("@context", None)
            yield ("" if first else ",") + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            first = False
        if len(batch) < FEED_BATCH:
            break
        last_id = batch[-1].id
    yield "]}"


class _FeedStreams:
    """How many feed downloads this process is streaming: a few clients reading the feed slowly (or not at all)
    hold at most ``FEED_MAX_STREAMS`` of its threads, never all of them (docs/api.md, "The feed")."""

    def __init__(self):
        self._lock = threading.Lock()
        self.open = 0

    def take(self) -> bool:
        with self._lock:
            if self.open >= settings.FEED_MAX_STREAMS:
                return False
            self.open += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.open -= 1


_FEED_STREAMS = _FeedStreams()


class _StreamSlot:
    """The feed's chunks, holding one of the process's feed streams until the response is closed.

    Django closes a streaming response when the server has sent it or the client has gone, whether or not the
    iteration began, and calls ``close()`` here; a generator's ``finally`` would not run if it never started."""

    def __init__(self, chunks):
        self._chunks = chunks
        self._held = True

    def __iter__(self):
        return self._chunks

    def close(self):
        if self._held:
            self._held = False
            _FEED_STREAMS.give_back()

    # A response dropped unread without close() (a client that asked only for the status) frees its slot too.
    __del__ = close


def _feed_refusal(status: int, message: str, retry_after: float) -> HttpResponse:
    body = json.dumps({"error": {"code": "throttled" if status == 429 else "busy", "message": message}})
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["Retry-After"] = str(int(retry_after))
    return response


class JobFeedView(View):
    """Every open vacancy as schema.org JobPosting JSON-LD, streamed; answers conditional requests with 304.

    Full downloads are rate-limited per client (``FEED_RATE``; a 304 or a HEAD costs nothing) and a process streams
    at most ``FEED_MAX_STREAMS`` of them at once."""

    http_method_names = ["get", "head"]

    def get(self, request):
        etag, last_modified = selectors.feed_validators_cached()
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        if request.method == "HEAD":
            response = HttpResponse(content_type="application/ld+json; charset=utf-8")
        else:
            if not _FEED_STREAMS.take():  # first: a client told to come back has not used a download
                return _feed_refusal(503, _("同时下载的客户端过多，请稍后再试。"), 30)
            usage = hit("feed", client_ip(request), settings.FEED_RATE)
            if not usage.allowed:
                _FEED_STREAMS.give_back()
                message = _(
                    "完整下载次数已达上限（%(limit)d次），请%(seconds)d秒后再试；带 If-None-Match 的条件请求不计次数。"
                ) % {"limit": usage.limit, "seconds": usage.wait}
                return _feed_refusal(429, message, usage.wait)
            chunks = (chunk.encode() for chunk in _feed_chunks())
            response = StreamingHttpResponse(_StreamSlot(chunks), content_type="application/ld+json; charset=utf-8")
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        response["Cache-Control"] = "no-cache"
        return response
