from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talentfair.core"
    label = "core"
