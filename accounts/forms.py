from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Degree
from .services import study_province_choices


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("11位中国大陆手机号码"),
    )
    school = forms.CharField(label=_("毕业院校"), max_length=100, required=False)
    major = forms.CharField(label=_("专业"), max_length=100, required=False)
    degree = forms.TypedChoiceField(
        label=_("学历"), choices=[("", "—"), *Degree.choices], coerce=int, empty_value=None, required=False
    )
    cohort = forms.IntegerField(
        label=_("毕业届别"),
        required=False,
        min_value=1980,
        max_value=2100,
        help_text=_("填写毕业年份，如 2026 表示 2026届"),
    )
    study_province = forms.ChoiceField(label=_("院校所在省份"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_province"].choices = [("", "—"), *study_province_choices()]


class ResumeForm(forms.Form):
    resume = forms.FileField(
        label=_("简历（PDF，不超过5 MB）"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
