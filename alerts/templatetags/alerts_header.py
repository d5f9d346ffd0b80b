"""``{% alerts_header_link %}``: the header's link to the inbox with the unread count, on every
page for a signed-in user (templates/base.html)."""

from __future__ import annotations

from django import template

from alerts.rules import unread_count_text
from alerts.web.header import unread_count_for_request

register = template.Library()


@register.inclusion_tag("alerts/_header_link.html", takes_context=True)
def alerts_header_link(context) -> dict:
    count = unread_count_for_request(context.get("request"))
    return {"count": count, "count_text": unread_count_text(count)}
