"""OpenStack-API-Version: placement X.Y, as upstream's middleware reads it."""

import pytest
import webob

from nova.api.placement import errors
from nova.api.placement import microversion


def _version(value):
    headers = {} if value is None else {
        'OpenStack-API-Version': 'placement %s' % value}
    return microversion.from_headers(headers)


@pytest.mark.parametrize('value,expected', [
    (None, (1, 0)), ('1.0', (1, 0)), ('1.6', (1, 6)), ('1.14', (1, 14)),
    ('latest', microversion.MAX_VERSION)])
def test_versions_served(value, expected):
    assert _version(value) == expected
    assert str(_version(value)) == '%d.%d' % expected


def test_another_services_version_is_not_placements():
    assert microversion.from_headers(
        {'OpenStack-API-Version': 'compute 2.90'}) == (1, 0)


@pytest.mark.parametrize('value', ['1.x', '1', '1.2.3', 'one', '1.-1'])
def test_malformed_is_400(value):
    with pytest.raises(microversion.InvalidVersion) as info:
        _version(value)
    assert info.value.code == 400


@pytest.mark.parametrize('value', ['1.15', '1.29', '2.0', '0.9'])
def test_out_of_range_is_406_with_the_range(value):
    with pytest.raises(microversion.UnacceptableVersion) as info:
        _version(value)
    response = errors.exception_response(
        {'openstack.request_id': 'req-1'}, info.value)
    assert response.status_int == 406
    [error] = response.json_body['errors']
    assert error == {'status': 406, 'title': 'Not Acceptable',
                     'detail': 'Unacceptable version header: %s' % value,
                     'request_id': 'req-1', 'min_version': '1.0',
                     'max_version': '1.14'}


def test_headers_on_a_response():
    response = webob.Response()
    microversion.add_headers(response, _version('1.6'))
    assert response.headers['OpenStack-API-Version'] == 'placement 1.6'
    assert response.headers['Vary'] == 'OpenStack-API-Version'
