from django import template
from django.conf import settings
from django.shortcuts import resolve_url

from ..report_views import ReportForm

register = template.Library()


@register.simple_tag
def report_form():
    """An empty report form for the vacancy page's sidebar."""
    return ReportForm()


@register.simple_tag
def login_url():
    """settings.LOGIN_URL resolved (a URL name such as allauth's ``account_login``, or a path)."""
    return resolve_url(settings.LOGIN_URL)
