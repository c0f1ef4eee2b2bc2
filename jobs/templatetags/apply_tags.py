from django import template

from accounts.models import GraduateProfile
from jobs.models import Application, SavedJob

register = template.Library()


@register.simple_tag(takes_context=True)
def apply_state(context, job) -> dict:
    """What the apply box shows for this visitor: their application (if any), saved or not, résumé or not."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"anonymous": True}
    application = Application.objects.filter(job=job, graduate=user).first()
    return {
        "application": application,
        "saved": SavedJob.objects.filter(job=job, user=user).exists(),
        "has_resume": GraduateProfile.objects.filter(user=user).exclude(resume="").exists(),
    }
