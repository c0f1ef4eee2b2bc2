from django import template

from ..dashboard import moderation_queues

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue_sizes(context):
    """The staff member's queues (scoped to their province) for the admin index."""
    return moderation_queues(context["request"])
