"""The proxy's checks before a websocket is accepted."""

import pytest

from nova.console import websocketproxy as proxy

BASE = 'http://console.example.com:6080/vnc_auto.html'


@pytest.mark.parametrize('path, cookie, token', [
    ('/?token=abc', None, 'abc'),
    ('/?token=abc', 'token=other', 'abc'),
    ('/websockify', 'token=abc', 'abc'),
    ('/websockify', 'a=1; token=abc; b=2', 'abc'),
    ('/websockify', 'path=%3Ftoken%3Dx', ''),
    ('/websockify', None, ''),
    ('/', '\x00bad; token=abc', 'abc'),
])
def test_the_token_comes_from_the_query_else_a_cookie(path, cookie, token):
    assert proxy.token_of(path, cookie) == token


def _refusal(headers, allowed=()):
    with pytest.raises(proxy.ConsoleRefused) as e:
        proxy.check_origin(headers, BASE, allowed)
    return e.value.code, e.value.reason


def test_no_origin_is_a_client_that_is_not_a_browser():
    proxy.check_origin({'Host': 'console.example.com:6080'}, BASE, [])


def test_the_proxy_s_own_pages_and_the_allowed_origins_pass():
    host = {'Host': 'console.example.com:6080'}
    proxy.check_origin(dict(host, Origin='http://console.example.com:6080'),
                       BASE, [])
    proxy.check_origin(dict(host, Origin='http://dashboard.example.com'),
                       BASE, ['dashboard.example.com'])


def test_other_sites_and_schemes_are_refused():
    host = {'Host': 'console.example.com:6080'}
    assert _refusal(dict(host, Origin='http://evil.example.com')) == (
        403, 'Origin header does not match this host.')
    assert _refusal(dict(host, Origin='https://console.example.com')) == (
        403, 'Origin header protocol does not match this host.')
    assert _refusal(dict(host, Origin='null')) == (
        403, 'Origin header not valid.')


def test_a_forwarded_scheme_counts_as_the_origin_s():
    proxy.check_origin({'Host': 'console.example.com',
                        'Origin': 'https://console.example.com',
                        'X-Forwarded-Proto': 'http'}, BASE, [])


@pytest.mark.parametrize('line, masked', [
    ("127.0.0.1: Path: '/?token=581d061c-2e98'",
     "127.0.0.1: Path: '/?token=***'"),
    ('"GET /vnc_auto.html?path=%3Ftoken%3Dabc-1 HTTP/1.1" 200',
     '"GET /vnc_auto.html?path=%3Ftoken%3D*** HTTP/1.1" 200'),
    ('GET /?a=1&token=abc&b=2', 'GET /?a=1&token=***&b=2'),
    ('no token here', 'no token here'),
])
def test_tokens_never_reach_the_log(line, masked):
    assert proxy.mask_tokens(line) == masked
