"""The employer centre's fair pages: which fairs take exhibitors, the application to exhibit, and the booth desk
where recruiters receive graduates' résumés on the day."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from employers.views import MemberRequiredMixin
from jobs.models import Application, ApplicationSource
from talentfair.core.errors import ApplicationError
from talentfair.core.forms import form_errors_from

from . import services
from .models import ExhibitorStatus, Fair, FairState, Participation, Zone


class ExhibitForm(forms.Form):
    """One positions box per vacancy the employer may bring, the representatives and a zone preference."""

    representatives = forms.CharField(
        label=gettext_lazy("参会人员"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=400,
        help_text=gettext_lazy("每行一位：姓名 手机号码，最多5位"),
    )
    zone_preference = forms.ModelChoiceField(
        label=gettext_lazy("意向展区"), queryset=Zone.objects.none(), required=False, empty_label=gettext_lazy("不限")
    )

    def __init__(self, *args, fair: Fair, jobs, offered: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone_preference"].queryset = fair.zones.all()
        self.jobs = list(jobs)
        for job in self.jobs:
            self.fields[f"job_{job.pk}"] = forms.IntegerField(
                label=job.title,
                required=False,
                min_value=0,
                max_value=services.exhibitors.MAX_POSITIONS,
                initial=offered.get(job.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow"}),
            )

    def job_fields(self):
        return [(job, self[f"job_{job.pk}"]) for job in self.jobs]

    def offers(self) -> list[tuple[int, int]]:
        return [(job.pk, self.cleaned_data.get(f"job_{job.pk}") or 0) for job in self.jobs]


class ExhibitingView(MemberRequiredMixin, TemplateView):
    """Fairs taking exhibitors now, and this employer's applications with their state and booth."""

    template_name = "fairs/centre_fairs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = {
            p.fair_id: p
            for p in Participation.objects.filter(employer=self.employer).select_related("fair", "booth__zone")
        }
        open_fairs = [
            fair
            for fair in Fair.objects.filter(state__in=services.exhibitors.EXHIBITOR_STATES).order_by("starts_on")
            if services.exhibitor_window_open(fair)
        ]
        context.update(
            open_fairs=[(fair, mine.get(fair.pk)) for fair in open_fairs],
            participations=sorted(mine.values(), key=lambda p: p.fair.starts_on, reverse=True),
            verified=self.employer.is_verified,
            active="fairs",
        )
        return context


class ExhibitView(MemberRequiredMixin, TemplateView):
    template_name = "fairs/exhibit_form.html"

    def get_fair(self) -> Fair:
        return get_object_or_404(
            Fair.objects.exclude(state=FairState.DRAFT).select_related("city"), slug=self.kwargs["slug"]
        )

    def _form(self, fair: Fair, participation: Participation | None, data=None) -> ExhibitForm:
        offered = {offer.job_id: offer.positions for offer in participation.offers.all()} if participation else {}
        initial = {}
        if participation:
            initial = {
                "representatives": participation.representatives,
                "zone_preference": participation.zone_preference_id,
            }
        jobs = services.bringable_jobs(fair=fair, employer=self.employer).order_by("-published_at", "-id")[:100]
        return ExhibitForm(data, fair=fair, jobs=jobs, offered=offered, initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fair = context["fair"] = self.get_fair()
        participation = context["participation"] = Participation.objects.filter(
            fair=fair, employer=self.employer
        ).first()
        context.setdefault("form", self._form(fair, participation))
        context["window_open"] = services.exhibitor_window_open(fair)
        context["editable"] = context["window_open"] and (
            participation is None or participation.status != ExhibitorStatus.APPROVED
        )
        context["active"] = "fairs"
        context["new_job_url"] = reverse("employers:job_create") + f"?fair={fair.pk}"
        return context

    def post(self, request, slug):
        fair = self.get_fair()
        participation = Participation.objects.filter(fair=fair, employer=self.employer).first()
        form = self._form(fair, participation, data=request.POST)
        if form.is_valid():
            try:
                services.exhibitor_apply(
                    fair=fair,
                    employer=self.employer,
                    by=request.user,
                    offers=form.offers(),
                    representatives=form.cleaned_data["representatives"],
                    zone_preference=form.cleaned_data["zone_preference"],
                )
            except ValidationError as error:
                if "offers" in getattr(error, "error_dict", {}):
                    form.add_error(None, error.error_dict.pop("offers"))
                form_errors_from(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("参展报名已提交，等待人才服务中心审核。"))
                return redirect("fairs:exhibiting")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ExhibitWithdrawView(MemberRequiredMixin, View):
    def post(self, request, slug):
        participation = get_object_or_404(Participation, fair__slug=slug, employer=self.employer)
        try:
            services.exhibitor_withdraw(participation=participation, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已撤回参展报名。"))
        return redirect("fairs:exhibiting")


class BoothDeskView(MemberRequiredMixin, TemplateView):
    """At the booth: type or scan a graduate's ticket, choose the vacancy, receive their résumé."""

    template_name = "fairs/booth_desk.html"

    def get_participation(self) -> Participation:
        return get_object_or_404(
            Participation.objects.select_related("fair", "booth__zone"),
            fair__slug=self.kwargs["slug"],
            employer=self.employer,
            status=ExhibitorStatus.APPROVED,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participation = context["participation"] = self.get_participation()
        context["fair"] = participation.fair
        context["offers"] = participation.offers.select_related("job")
        context["collected"] = (
            Application.objects.filter(
                fair=participation.fair, source=ApplicationSource.FAIR, job__employer=self.employer
            )
            .select_related("graduate__profile", "job")
            .order_by("-created_at")[:50]
        )
        context.setdefault("result", None)
        context["active"] = "fairs"
        return context

    def post(self, request, slug):
        participation = self.get_participation()
        try:
            job_id = int(request.POST.get("job", ""))
        except ValueError:
            job_id = 0
        try:
            result = services.booth_collect_resume(
                participation=participation, ticket=request.POST.get("ticket", ""), job_id=job_id, by=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(), status=400)
        name = result.application.graduate.get_full_name()
        if result.created:
            messages.success(
                request,
                _("已收到 %(name)s 的简历，申请已记入“%(job)s”。")
                % {"name": name, "job": result.application.job.title},
            )
        else:
            messages.info(
                request, _("%(name)s 已申请过“%(job)s”。") % {"name": name, "job": result.application.job.title}
            )
        if not result.has_resume:
            messages.warning(request, _("该求职者尚未上传电子简历，请现场收取纸质简历。"))
        return redirect("fairs:booth", slug=slug)
