from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from regions.models import City, Province

from .models import Employer


def city_choices() -> list:
    """Cities grouped by province, for a <select> with <optgroup>s."""
    english = (get_language() or "").startswith("en")
    groups: dict[str, list] = {}
    names = {
        code: (en if english and en else zh) for code, zh, en in Province.objects.values_list("code", "name", "name_en")
    }
    rows = City.objects.divisions().order_by("province", "code").values_list("code", "name", "name_en", "province")
    for code, name, name_en, province in rows:
        groups.setdefault(names[province], []).append((code, name_en if english and name_en else name))
    return [("", "—"), *groups.items()]


class CityChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=city_choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return City.objects.divisions().select_related("province").get(code=value)
        except City.DoesNotExist:
            raise forms.ValidationError(_("请选择城市")) from None


class EmployerRegisterForm(forms.ModelForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30, help_text=_("18位，见营业执照"))
    city = CityChoiceField(label=_("所在城市"))
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = [
            "name",
            "uscc",
            "ownership",
            "industry",
            "city",
            "size",
            "address",
            "website",
            "description",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact_name", "contact_phone", "contact_email"):
            self.fields[name].required = True

    def _post_clean(self):
        """Validation is the service's job (employers.registration.employer_register)."""


class JoinForm(forms.Form):
    uscc = forms.CharField(label=_("单位的统一社会信用代码"), max_length=30)
