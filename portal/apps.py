from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that bring the apps together: the home page and the centre staff's dashboard in admin."""

    name = "portal"
    verbose_name = _("门户")
