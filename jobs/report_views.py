"""“Report this vacancy”: the form shown in the vacancy page's sidebar posts here (logged-in users only)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from talentfair.core.errors import ApplicationError

from .models import JobPosting, ReportReason
from .services import report_create


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("举报原因"), choices=ReportReason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=gettext_lazy("补充说明（选填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JobReportView(LoginRequiredMixin, FormView):
    """POST a report; on success back to the vacancy with a message. GET shows the form on its own page."""

    form_class = ReportForm
    template_name = "jobs/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        # Only vacancies the public can see may be reported (no probing drafts or other employers' pending ones).
        self.job = get_object_or_404(JobPosting.objects.published().select_related("employer"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(job=self.job, **kwargs)

    def form_valid(self, form):
        try:
            report_create(
                job=self.job,
                reporter=self.request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("感谢举报，工作人员会尽快核实处理。"))
        return redirect("jobs:detail", pk=self.job.pk)
