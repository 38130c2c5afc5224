"""The back-office's notice of a payment account whose requirements are past due."""

from django import template

from payments.selectors import may_see_payment_account, payment_account_of

register = template.Library()


@register.inclusion_tag("backoffice/_payment_account_notice.html", takes_context=True)
def payment_account_notice(context, store):
    request = context["request"]
    if not may_see_payment_account(
        user=request.user, membership=getattr(request, "membership", None)
    ):
        return {"show": False}
    if request.resolver_match and request.resolver_match.url_name == "payment-account":
        return {"show": False}  # the page itself says it, in full
    account = payment_account_of(store)
    return {
        "show": account is not None and bool(account.past_due),
        "store": store,
        "account": account,
    }
