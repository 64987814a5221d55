"""Console URLs: the token where noVNC reads it."""

from urllib import parse as urlparse

from nova.compute import consoles


def test_novnc_urls_carry_the_token_in_the_path_parameter():
    url = consoles.access_url('http://h:6080/vnc_auto.html', 'novnc', 'tk')
    parts = urlparse.urlparse(url)
    assert parts.path == '/vnc_auto.html'
    assert urlparse.parse_qs(parts.query) == {'path': ['?token=tk']}


def test_a_base_url_s_own_path_parameter_is_kept():
    url = consoles.access_url(
        'https://h/vnc_lite.html?path=websockify&scale=1', 'novnc', 'tk')
    assert urlparse.parse_qs(urlparse.urlparse(url).query) == {
        'path': ['websockify?token=tk'], 'scale': ['1']}


def test_other_consoles_take_a_token_parameter():
    assert consoles.access_url('ws://h:6083/', 'serial', 'tk') == \
        'ws://h:6083/?token=tk'
