def test_flavor_list_through_conductor(api):
    resp = api.get('/v2.1/flavors')
    assert resp.status == 200
    assert [f['name'] for f in resp.body['flavors']] == [
        'm1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']
