"""GET /os-console-auth-tokens/{console_token} (admin, 2.31): where the
console a token opens is, for operators and proxies of their own.

Before 2.31 it served only the rdp-html5 consoles of the removed Hyper-V
driver: a 400, as upstream's.
"""

from nova.api.policies import console_auth_tokens as policies
from nova.api import policy
from nova.api.views import console_auth_tokens as views
from nova.api import wsgi
from nova import exception

ALL_CONSOLE_TYPES = (2, 31)


def show_token(req, console_token):
    if not req.is_version(ALL_CONSOLE_TYPES):
        raise exception.Invalid(
            'Console tokens are shown from microversion 2.31.')
    policy.authorize(req.context, policies.SHOW, {})
    if not console_token.strip():
        raise exception.Invalid('token not provided')
    try:
        token = req.conductor.console_auth_token_validate(req.context,
                                                          console_token)
    except exception.InvalidToken:
        raise exception.NotFound('Token not found')
    return wsgi.json_response(views.show(token))
