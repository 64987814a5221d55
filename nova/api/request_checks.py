"""Requests no handler can read are refused before any looks at them.

A URL is bytes: WSGI hands the path over as latin-1 text (PEP 3333), the
query string as it came.  Clients send UTF-8, and webob decodes it so when a
handler asks (req.path, req.GET): bytes that are not UTF-8 (%ff) would fail
there, as a 500.  A NUL or another control character is nothing a name or an
id holds, and some databases refuse it in a query (PostgreSQL): a 500 too.
Both are the client's mistake: 400, saying where.
"""

import urllib.parse

import webob.dec

from nova.api import faults


def _bad_text(text):
    """Why text (decoded) is no value a request may hold, or None."""
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in text):
        return 'a control character'
    return None


def path_problem(environ):
    raw = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
    try:
        path = raw.encode('latin-1').decode('utf-8')
    except UnicodeError:
        return 'The URL path is not valid UTF-8.'
    why = _bad_text(path)
    return 'The URL path contains %s.' % why if why else None


def query_problem(environ):
    query = environ.get('QUERY_STRING', '')
    if not query:
        return None
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True,
                                       encoding='utf-8', errors='strict')
    except UnicodeError:
        return 'The query string is not valid UTF-8.'
    for key, value in pairs:
        why = _bad_text(key) or _bad_text(value)
        if why:
            return 'The query parameter %s contains %s.' % (
                urllib.parse.quote(key), why)
    return None


class RequestChecks:

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        problem = path_problem(req.environ) or query_problem(req.environ)
        if problem:
            return faults.fault_response(400, problem)
        return req.get_response(self.application)
