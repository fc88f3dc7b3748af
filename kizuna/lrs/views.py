"""The LRS resources at /xapi/ (thin: parse the xAPI request, call one service or selector, answer)."""

from django.http import HttpResponse

from .http import SUPPORTED_VERSIONS, XapiRequest, json_response, xapi_view


@xapi_view(("GET",), authenticated=False)
def about(xreq: XapiRequest) -> HttpResponse:
    """The About resource: the versions this LRS speaks (no credentials needed)."""
    return json_response({"version": SUPPORTED_VERSIONS, "extensions": {}})
