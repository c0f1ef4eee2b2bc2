"""The fair's public pages (list, fair page, exhibitor guide, live counters, report), the graduate's registration,
tickets and 我的招聘会, and the staff check-in desk."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.services import profile_get
from employers.models import Industry, Ownership
from jobs.models import JobPosting
from regions.models import Province
from talentfair.core.errors import ApplicationError

from . import services
from .charts import fair_charts, report_charts
from .models import (
    ExhibitorStatus,
    Fair,
    FairOrganiser,
    FairState,
    Offer,
    OrganiserRole,
    Participation,
    Registration,
    RegistrationStatus,
    Shortlist,
)
from .selectors import fair_counters, fair_report, fair_statistics, is_fair_organiser
from .tickets import fair_ics, qr_svg


def listed_fairs():
    return Fair.objects.listed().select_related("city__province")


class FairListView(ListView):
    template_name = "fairs/fair_list.html"
    context_object_name = "fairs"

    def get_queryset(self):
        approved = Q(participations__status=ExhibitorStatus.APPROVED)
        return listed_fairs().annotate(
            employer_count=Count("participations", filter=approved),
            position_count=Sum("participations__positions", filter=approved),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fairs = list(context["fairs"])
        context["upcoming"] = [fair for fair in fairs if fair.state != FairState.FINISHED]
        context["past"] = [fair for fair in fairs if fair.state == FairState.FINISHED]
        return context


class FairMixin:
    """The fair named by the URL's slug; drafts are staff-only (they 404 for everyone else)."""

    def get_fair(self) -> Fair:
        if not hasattr(self, "fair"):
            fair = get_object_or_404(
                Fair.objects.select_related("city__province", "host_centre"), slug=self.kwargs["slug"]
            )
            if fair.state == FairState.DRAFT and not is_fair_organiser(self.request.user, fair):
                raise Http404
            self.fair = fair
        return self.fair


def organisers_by_role(fair: Fair) -> list[tuple[str, list[FairOrganiser]]]:
    organisers = list(fair.organisers.all())
    return [
        (role.label, [o for o in organisers if o.role == role.value])
        for role in OrganiserRole
        if any(o.role == role.value for o in organisers)
    ]


class FairDetailView(FairMixin, TemplateView):
    template_name = "fairs/fair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fair = context["fair"] = self.get_fair()
        stats = context["stats"] = fair_statistics(fair)
        context["organisers"] = organisers_by_role(fair)
        context["counters"] = fair_counters(fair)
        context["live"] = fair.state == FairState.IN_PROGRESS
        context["refresh_seconds"] = settings.FAIR_COUNTERS_REFRESH_SECONDS
        context["share_c_plus_i"] = f"{stats['share_c_plus_i'] * 100:.1f}%"
        host = fair.city.province_id
        visiting = [value for code, value in stats["by_province"].items() if code != host]
        context["visiting"] = {
            "employers": sum(value["employers"] for value in visiting),
            "positions": sum(value["positions"] for value in visiting),
        }
        charts = fair_charts(fair, stats) if stats["employers"] else {}
        if fair.is_finished:
            charts.update(report_charts(fair_report(fair, stats=stats, counters=context["counters"])))
        # A chart with nothing in it says nothing: a fair before online registration has no graduates' figures.
        context["charts"] = {key: chart for key, chart in charts.items() if not chart.empty}
        context["no_graduate_records"] = fair.is_finished and not context["counters"]["registered"]
        context["qualifications"] = qualification_texts(fair)
        context["is_organiser"] = is_fair_organiser(self.request.user, fair) and self.request.user.has_perm(
            "fairs.run_fair"
        )
        context["zones"] = fair.zones.annotate(booth_count=Count("booths"))
        context.update(registration_context(self.request, fair, counters=context["counters"]))
        return context


def qualification_texts(fair: Fair) -> list[str]:
    texts = []
    if fair.cohorts:
        texts.append(
            _("毕业届别：%(cohorts)s")
            % {"cohorts": _("、").join(_("%(year)s届") % {"year": y} for y in sorted(fair.cohorts))}
        )
    if fair.min_education:
        texts.append(_("学历：%(level)s及以上") % {"level": fair.get_min_education_display()})
    provinces = [province.local_name for province in fair.study_provinces.all()]
    if provinces:
        texts.append(_("院校所在省份：%(provinces)s") % {"provinces": _("、").join(provinces)})
    return texts


def registration_context(request, fair: Fair, *, counters: dict) -> dict:
    """What the fair page says to this visitor about registering."""
    context = {
        "registration_open": services.registration_window_open(fair),
        "registration": None,
        "unmet": [],
    }
    if request.user.is_authenticated:
        registration = Registration.objects.filter(fair=fair, graduate=request.user).first()
        if registration and registration.status != RegistrationStatus.CANCELLED:
            context["registration"] = registration
        elif context["registration_open"]:
            context["unmet"] = services.qualification_problems(fair, profile_get(user=request.user))
    context["places_left"] = max(fair.graduate_capacity - counters["registered"], 0) if fair.graduate_capacity else None
    return context


class FairCountersView(FairMixin, View):
    """The live counters as JSON (the fair page refreshes them every few seconds where JavaScript runs)."""

    def get(self, request, slug):
        response = JsonResponse({"fair": self.get_fair().slug, **fair_counters(self.get_fair())})
        response["Cache-Control"] = "no-cache"
        return response


class FairReportCSVView(FairMixin, View):
    """The report's tables as one CSV (UTF-8 with BOM, so Excel opens it as Chinese)."""

    def get(self, request, slug):
        fair = self.get_fair()
        report = fair_report(fair)
        provinces = {p.code: p.local_name for p in Province.objects.all()}
        provinces.update({"other": _("长三角以外"), "": _("未填写")})
        industries = {industry.code: industry.local_name for industry in Industry.objects.all()}
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="fair-{fair.slug}-report.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("表"), _("类别"), _("单位数"), _("岗位数")])
        labels = dict(Ownership.choices)
        for key, value in report["by_ownership"].items():
            writer.writerow([_("单位性质"), labels.get(key, key), value["employers"], value["positions"]])
        for key, value in report["by_province"].items():
            writer.writerow([_("单位所在省份"), provinces.get(key, key), value["employers"], value["positions"]])
        for key, value in report["by_industry"].items():
            writer.writerow([_("行业门类"), f"{key} {industries.get(key, '')}", value["employers"], value["positions"]])
        writer.writerow([_("制造业与信息软件业占比"), "C+I", report["share_c_plus_i"], ""])
        writer.writerow([])
        writer.writerow([_("表"), _("院校所在省份"), _("已报名"), _("已签到")])
        for key, value in report["graduates_by_study_province"].items():
            writer.writerow([_("求职者"), provinces.get(key, key), value["registered"], value["checked_in"]])
        writer.writerow([])
        writer.writerow([_("表"), _("院校所在省份"), _("单位所在省份"), _("申请数")])
        for row in report["application_flow"]:
            writer.writerow(
                [
                    _("跨省流向"),
                    provinces.get(row["from"], row["from"]),
                    provinces.get(row["to"], row["to"]),
                    row["applications"],
                ]
            )
        return response


# --- the guide: exhibitors, booths, the fair's vacancies --------------------------------------------------------


class ExhibitorGuideView(FairMixin, TemplateView):
    """Exhibitors by zone and booth, filterable by zone, industry and province of origin; each with the vacancies
    it brings (one-step apply) and a star for the graduate's own shortlist. Shown once staff publish it."""

    template_name = "fairs/exhibitor_guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fair = context["fair"] = self.get_fair()
        context["published"] = fair.exhibitors_published or is_fair_organiser(self.request.user, fair)
        if not context["published"]:
            return context
        zones = list(fair.zones.all())
        params = self.request.GET
        chosen = {
            "zone": params.get("zone", ""),
            "industry": params.get("industry", ""),
            "province": params.get("province", ""),
            "mine": params.get("mine", "") == "1" and self.request.user.is_authenticated,
        }
        exhibitors = (
            Participation.objects.approved()
            .filter(fair=fair)
            .select_related("employer__city__province", "employer__industry", "booth__zone")
            .prefetch_related(
                Prefetch(
                    "offers",
                    queryset=Offer.objects.filter(job__in=JobPosting.objects.published()).select_related("job__city"),
                )
            )
            .order_by("booth__code", "employer__name")
        )
        if chosen["zone"]:
            exhibitors = exhibitors.filter(booth__zone__code=chosen["zone"])
        if chosen["industry"]:
            exhibitors = exhibitors.filter(employer__industry_id=chosen["industry"])
        if chosen["province"]:
            exhibitors = exhibitors.filter(employer__city__province_id=chosen["province"])
        shortlisted = set()
        if self.request.user.is_authenticated:
            shortlisted = set(
                Shortlist.objects.filter(user=self.request.user, participation__fair=fair).values_list(
                    "participation_id", flat=True
                )
            )
            if chosen["mine"]:
                exhibitors = exhibitors.filter(pk__in=shortlisted)
        exhibitors = list(exhibitors[:500])
        by_zone: dict[str, list[Participation]] = {}
        for exhibitor in exhibitors:
            key = exhibitor.booth.zone.code if exhibitor.booth_id else ""
            by_zone.setdefault(key, []).append(exhibitor)
        context.update(
            zones=zones,
            groups=[(zone, by_zone[zone.code]) for zone in zones if zone.code in by_zone]
            + ([(None, by_zone[""])] if "" in by_zone else []),
            count=len(exhibitors),
            chosen=chosen,
            shortlisted=shortlisted,
            industries=Industry.objects.filter(
                pk__in=Participation.objects.approved().filter(fair=fair).values("employer__industry")
            ),
            provinces=Province.objects.all(),
            search_url=reverse("jobs:list") + "?" + urlencode({"fair": fair.slug}),
            registration=(
                Registration.objects.filter(fair=fair, graduate=self.request.user)
                .exclude(status=RegistrationStatus.CANCELLED)
                .first()
                if self.request.user.is_authenticated
                else None
            ),
        )
        return context


class BoothPlanView(FairMixin, TemplateView):
    """The booth plan: every zone's booths, who is where (once published)."""

    template_name = "fairs/booth_plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fair = context["fair"] = self.get_fair()
        context["published"] = fair.exhibitors_published or is_fair_organiser(self.request.user, fair)
        if context["published"]:
            zones = list(
                fair.zones.prefetch_related(
                    Prefetch(
                        "booths",
                        queryset=fair.booths.select_related("participation__employer").order_by("code"),
                    )
                )
            )
            context["zones"] = zones
        return context


class ShortlistToggleView(LoginRequiredMixin, FairMixin, View):
    def post(self, request, slug, pk):
        fair = self.get_fair()
        participation = get_object_or_404(Participation.objects.approved().select_related("employer"), pk=pk, fair=fair)
        if services.shortlist_toggle(user=request.user, participation=participation):
            messages.success(request, _("已加入我的展位清单：%(name)s") % {"name": participation.employer.name})
        else:
            messages.success(request, _("已从我的展位清单移除：%(name)s") % {"name": participation.employer.name})
        back = request.POST.get("next", "")
        if not back.startswith(reverse("fairs:guide", args=[fair.slug])):
            back = reverse("fairs:guide", args=[fair.slug])
        return redirect(f"{back}#exhibitor-{participation.pk}")


# --- graduates: register, tickets, cancel ----------------------------------------------------------------------


class RegisterView(LoginRequiredMixin, FairMixin, View):
    def post(self, request, slug):
        fair = self.get_fair()
        detail = reverse("fairs:detail", args=[fair.slug])
        try:
            registration = services.registration_create(fair=fair, graduate=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            field = error.extra.get("field")
            if field:
                return redirect(reverse("accounts:profile") + "?" + urlencode({"next": detail}) + f"#id_{field}")
            return redirect(detail + "#register")
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时将按顺序递补并邮件通知。"))
        else:
            messages.success(request, _("报名成功！电子票已发送到您的邮箱，也可在“我的招聘会”查看。"))
        return redirect("fairs:ticket", pk=registration.pk)


class MyRegistrationMixin(LoginRequiredMixin):
    def get_registration(self) -> Registration:
        return get_object_or_404(
            Registration.objects.select_related("fair__city__province"),
            pk=self.kwargs["pk"],
            graduate=self.request.user,
        )


class MyFairsView(LoginRequiredMixin, ListView):
    template_name = "fairs/my_fairs.html"
    context_object_name = "registrations"

    def get_queryset(self):
        return (
            Registration.objects.filter(graduate=self.request.user)
            .select_related("fair__city__province")
            .order_by("-fair__starts_on")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for registration in context["registrations"]:  # the ticket's QR code, for the fairs still to come
            if registration.status == RegistrationStatus.REGISTERED and not registration.fair.is_finished:
                title = _("电子票二维码 %(code)s") % {"code": registration.code_display}
                registration.qr = qr_svg(services.ticket_token(registration), title=title)
        return context


class TicketView(MyRegistrationMixin, TemplateView):
    template_name = "fairs/ticket.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = context["registration"] = self.get_registration()
        context["fair"] = registration.fair
        if registration.status == RegistrationStatus.REGISTERED:
            token = services.ticket_token(registration)
            context["qr"] = qr_svg(token, title=_("电子票二维码 %(code)s") % {"code": registration.code_display})
        context["can_cancel"] = services.can_cancel(registration)
        if registration.status == RegistrationStatus.WAITLISTED:
            context["ahead"] = Registration.objects.filter(
                fair=registration.fair, status=RegistrationStatus.WAITLISTED, queued_at__lt=registration.queued_at
            ).count()
        return context


class TicketCalendarView(MyRegistrationMixin, View):
    def get(self, request, pk):
        registration = self.get_registration()
        response = HttpResponse(fair_ics(registration.fair, registration), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="fair-{registration.fair.slug}.ics"'
        return response


class RegistrationCancelView(MyRegistrationMixin, TemplateView):
    """A confirmation page (works without JavaScript), then the cancellation."""

    template_name = "fairs/registration_cancel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registration"] = self.get_registration()
        context["can_cancel"] = services.can_cancel(context["registration"])
        return context

    def post(self, request, pk):
        registration = self.get_registration()
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("fairs:ticket", pk=registration.pk)
        messages.success(request, _("已取消“%(fair)s”的报名。") % {"fair": registration.fair.name})
        return redirect("fairs:my_fairs")


# --- staff: the door ----------------------------------------------------------------------------------------------


class CheckInView(LoginRequiredMixin, FairMixin, TemplateView):
    """The check-in desk for a phone: scan the QR code with the camera where the browser offers it, or type the
    short code. The plain form works without JavaScript."""

    template_name = "fairs/check_in.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        fair = self.get_fair()
        if not (is_fair_organiser(request.user, fair) and request.user.has_perm("fairs.run_fair")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fair"] = self.get_fair()
        context["counters"] = fair_counters(self.get_fair())
        context.setdefault("result", None)
        context.setdefault("refusal", "")
        return context

    def post(self, request, slug):
        fair = self.get_fair()
        try:
            result = services.registration_check_in(fair=fair, ticket=request.POST.get("ticket", ""), by=request.user)
        except ApplicationError as error:
            return self.render_to_response(self.get_context_data(refusal=error.message), status=400)
        return self.render_to_response(self.get_context_data(result=result))
