"""Values the standard JSON module accepts and orjson refuses (a lone
surrogate, NaN) may be stored from a request; reading them back must not
fail: nova-api and the list's RPC fall back to the standard module."""

from tests.functional import fixtures


def test_a_lone_surrogate_and_nan_do_not_break_later_reads(cloud, api):
    raw = (b'{"server": {"name": "odd", "imageRef": "%s", "flavorRef": "1",'
           b' "networks": "auto", "tags": ["\\ud800x"]},'
           b' "os:scheduler_hints": {"x": NaN}}' % fixtures.IMAGE_ID.encode())
    created = api.request('POST', '/v2.1/servers', raw_body=raw,
                          version='2.75')
    assert created.status == 202, created
    server_id = created.body['server']['id']
    shown = cloud.wait_for_server(server_id, 'ACTIVE')
    assert shown['id'] == server_id

    got = api.get('/v2.1/servers/%s' % server_id, version='2.75')
    assert got.status == 200
    assert got.body['server']['tags'] == ['\ud800x']
    listed = api.get('/v2.1/servers/detail', version='2.75')
    assert listed.status == 200
    assert [s['tags'] for s in listed.body['servers']] == [['\ud800x']]
    hypervisors = api.get('/v2.1/os-hypervisors?with_servers=true',
                          version='2.53')
    assert hypervisors.status == 200
    assert [s['uuid'] for h in hypervisors.body['hypervisors']
            for s in h.get('servers', [])] == [server_id]
