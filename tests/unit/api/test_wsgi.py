"""Response bodies: what nova.api.wsgi encodes."""

import datetime
import json

from nova.api import wsgi


def test_json_response_body_decodes_to_what_was_given():
    body = {'servers': [{'id': 'a', 'name': 'vm\u00e9 "1"', 'progress': 0,
                         'locked': False, 'fault': None, 'ratio': 1.5,
                         'metadata': {}, 'tags': []}]}
    response = wsgi.json_response(body, status=202)
    assert response.status_int == 202
    assert response.content_type == 'application/json'
    assert json.loads(response.body) == body


def test_types_json_lacks_are_made_primitive():
    when = datetime.datetime(2026, 11, 22, 10, 9, 22)
    body = wsgi.dump_json({'when': when, 'ids': ('a', 'b'), 7: 'seven'})
    assert json.loads(body) == {'when': '2026-11-22T10:09:22.000000',
                                'ids': ['a', 'b'], '7': 'seven'}


def test_what_orjson_refuses_is_written_by_the_standard_library():
    body = wsgi.dump_json({'tag': '\ud800x', 'ratio': float('nan')})
    decoded = json.loads(body)
    assert decoded['tag'] == '\ud800x'
    assert decoded['ratio'] != decoded['ratio']  # NaN
