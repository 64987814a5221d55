"""A flavor's extra specs and project access: their changes."""

import threading

import pytest

from nova.db import flavors
from nova import exception


def _flavor(flavorid='f1', is_public=False, projects=()):
    return flavors.flavor_create(
        {'flavorid': flavorid, 'name': 'name-' + flavorid, 'memory_mb': 64,
         'vcpus': 1, 'root_gb': 1, 'is_public': is_public},
        projects=projects)


def test_extra_specs_merge_and_return_them_all():
    _flavor()
    assert flavors.flavor_extra_specs_update('f1', {'a': '1', 'b': '2'}) \
        == {'a': '1', 'b': '2'}
    assert flavors.flavor_extra_specs_update('f1', {'b': 'two', 'c': ''}) \
        == {'a': '1', 'b': 'two', 'c': ''}
    assert flavors.flavor_get('f1')['extra_specs'] == {
        'a': '1', 'b': 'two', 'c': ''}


def test_extra_spec_delete():
    _flavor()
    flavors.flavor_extra_specs_update('f1', {'a': '1', 'b': '2'})
    flavors.flavor_extra_spec_delete('f1', 'a')
    assert flavors.flavor_get('f1')['extra_specs'] == {'b': '2'}
    with pytest.raises(exception.FlavorExtraSpecsNotFound) as info:
        flavors.flavor_extra_spec_delete('f1', 'a')
    assert info.value.code == 404
    assert str(info.value) == 'Flavor f1 has no extra specs with key a.'


def test_changes_to_an_unknown_flavor_are_flavor_not_found():
    for call in (lambda: flavors.flavor_extra_specs_update('no', {'a': '1'}),
                 lambda: flavors.flavor_extra_spec_delete('no', 'a'),
                 lambda: flavors.flavor_access_add('no', 'p1'),
                 lambda: flavors.flavor_access_remove('no', 'p1')):
        with pytest.raises(exception.FlavorNotFound):
            call()


def test_concurrent_merges_all_land():
    _flavor()
    errors = []

    def merge(i):
        try:
            flavors.flavor_extra_specs_update('f1', {'k%d' % i: str(i),
                                                     'shared': str(i)})
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    specs = flavors.flavor_get('f1')['extra_specs']
    assert {k for k in specs if k != 'shared'} == {'k%d' % i
                                                   for i in range(8)}


def test_access_add_and_remove():
    _flavor(projects=['p1'])
    assert flavors.flavor_access_add('f1', 'p2')['projects'] == ['p1', 'p2']
    with pytest.raises(exception.FlavorAccessExists) as info:
        flavors.flavor_access_add('f1', 'p2')
    assert info.value.code == 409
    assert str(info.value) == ('Flavor access already exists for flavor f1 '
                               'and project p2 combination.')
    assert flavors.flavor_access_remove('f1', 'p1')['projects'] == ['p2']
    with pytest.raises(exception.FlavorAccessNotFound) as info:
        flavors.flavor_access_remove('f1', 'p1')
    assert info.value.code == 404
    assert str(info.value) == ('Flavor access not found for f1 / p1 '
                               'combination.')
    assert flavors.flavor_get('f1')['projects'] == ['p2']


def test_access_decides_what_a_project_sees():
    _flavor('private')
    _flavor('public', is_public=True)

    def seen(project_id):
        return [f['flavorid'] for f in flavors.flavor_get_all(
            project_id=project_id) if f['flavorid'] in ('private', 'public')]

    assert seen('p1') == ['public']
    with pytest.raises(exception.FlavorNotFound):
        flavors.flavor_get('private', project_id='p1')
    flavors.flavor_access_add('private', 'p1')
    assert seen('p1') == ['private', 'public']
    assert flavors.flavor_get('private', project_id='p1')['flavorid'] == \
        'private'
    assert seen('p2') == ['public']
    flavors.flavor_access_remove('private', 'p1')
    assert seen('p1') == ['public']


def test_delete_takes_extra_specs_and_access_along():
    _flavor(projects=['p1'])
    flavors.flavor_extra_specs_update('f1', {'a': '1'})
    flavors.flavor_destroy('f1')
    created = _flavor()
    assert created['extra_specs'] == {} and created['projects'] == []
