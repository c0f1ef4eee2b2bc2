from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("合作方接口")

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the OpenAPI extension for API-key authentication
