import importlib
import pkgutil

import pytest

from nova.api import microversion
from nova.api import views
from nova import exception


def _headers(value, legacy=False):
    if legacy:
        return {'X-OpenStack-Nova-API-Version': value}
    return {'OpenStack-API-Version': 'compute %s' % value}


def test_no_header_means_the_minimum():
    assert microversion.from_headers({}) == (2, 1)


@pytest.mark.parametrize('legacy', [False, True])
def test_both_headers_are_read(legacy):
    assert microversion.from_headers(_headers('2.53', legacy)) == (2, 53)


def test_latest_is_the_maximum():
    assert microversion.from_headers(_headers('latest')) == \
        microversion.MAX_VERSION


def test_other_services_in_the_standard_header_are_ignored():
    headers = {'OpenStack-API-Version': 'placement 1.30, compute 2.10'}
    assert microversion.from_headers(headers) == (2, 10)


@pytest.mark.parametrize('value', ['2.0', '3.0', '2.1000'])
def test_out_of_range_is_406(value):
    with pytest.raises(exception.InvalidGlobalAPIVersion) as info:
        microversion.from_headers(_headers(value))
    assert info.value.code == 406
    assert 'Version %s is not supported by the API.' % value in str(
        info.value)


@pytest.mark.parametrize('value', ['2', '2.x', 'abc', '2.01', '02.1'])
def test_malformed_is_400(value):
    with pytest.raises(exception.InvalidAPIVersionString) as info:
        microversion.from_headers(_headers(value))
    assert info.value.code == 400


def _feature_versions():
    for info in pkgutil.iter_modules(views.__path__):
        module = importlib.import_module('nova.api.views.' + info.name)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, tuple) and \
                    len(value) == 2:
                yield '%s.%s' % (info.name, name), value


def test_feature_versions_are_within_the_advertised_range():
    features = dict(_feature_versions())
    assert features, 'no feature versions found'
    outside = {name: v for name, v in features.items()
               if not microversion.MIN_VERSION < v <=
               microversion.MAX_VERSION}
    assert outside == {}


def test_every_feature_version_is_documented_in_the_history():
    documented = microversion.__doc__ + open(microversion.__file__).read()
    for name, version in _feature_versions():
        assert '#   %d.%d ' % version in documented, name
