"""The employer centre's vacancy and applicant forms (a vacancy names its city and, optionally, a fair)."""

from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.forms import CityChoiceField
from fairs.models import Fair, FairState
from jobs.models import ApplicationStatus, JobPosting


class JobForm(forms.ModelForm):
    city = CityChoiceField(label=_("工作地点"))
    valid_until = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则发布后默认有效60天，最长180天"),
    )

    class Meta:
        model = JobPosting
        fields = [
            "title",
            "category",
            "employment_type",
            "city",
            "address",
            "industry",
            "education",
            "experience",
            "headcount",
            "salary_negotiable",
            "salary_min",
            "salary_max",
            "salary_months",
            "fresh_graduate",
            "cohort",
            "tags",
            "description",
            "fair",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A vacancy made for a fair: the fairs taking exhibitors now (and the one it is tagged to already).
        current = self.instance.fair_id if self.instance.pk else None
        self.fields["fair"].queryset = Fair.objects.filter(
            Q(state__in=(FairState.EMPLOYER_OPEN, FairState.GRADUATE_OPEN)) | Q(pk=current)
        ).order_by("starts_on")
        self.fields["fair"].label = _("参加招聘会")
        self.fields["fair"].help_text = _("为招聘会新建的职位选择该招聘会，报名参展时即可选择它")
        self.fields["fair"].empty_label = _("不参加")
        if self.instance.pk:
            self.initial["city"] = self.instance.city_id
            if self.instance.valid_through:
                self.initial["valid_until"] = timezone.localtime(self.instance.valid_through).date()
        self.fields["salary_min"].widget.attrs.update(min=0, step=500)
        self.fields["salary_max"].widget.attrs.update(min=0, step=500)

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if not data.get("salary_negotiable") and low is None and high is None:
            self.add_error("salary_min", _("请填写月薪范围，或勾选“薪资面议”"))
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("月薪上限不能低于下限"))
        if data.get("salary_negotiable"):
            data["salary_min"] = data["salary_max"] = None
        until = data.get("valid_until")
        if until and until < timezone.localdate():
            self.add_error("valid_until", _("有效期不能早于今天"))
        data["valid_through"] = timezone.make_aware(datetime.combine(until, time(23, 59, 59))) if until else None
        return data

    def _post_clean(self):
        """Model validation runs in jobs.services (job_create / job_update)."""

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.Meta.fields}
        fields["valid_through"] = data.get("valid_through")
        for name in ("category", "address", "tags", "description"):
            fields[name] = fields[name] or ""
        return fields


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("进度"),
        choices=[
            (value, label)
            for value, label in ApplicationStatus.choices
            if value not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
        ],
    )
    note = forms.CharField(
        label=_("给求职者的说明（可选）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
