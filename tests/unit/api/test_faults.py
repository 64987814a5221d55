import json

from nova.api import faults
from nova import exception


def _body(response):
    return json.loads(response.body)


def test_nova_exceptions_keep_their_code_and_message():
    response = faults.exception_response(
        exception.FlavorNotFound(flavor_id='42'))
    assert response.status_int == 404
    assert _body(response) == {'itemNotFound': {
        'code': 404, 'message': 'Flavor 42 could not be found.'}}
    assert response.content_type == 'application/json'


def test_fault_names_follow_the_code():
    for code, name in [(400, 'badRequest'), (403, 'forbidden'),
                       (409, 'conflictingRequest'), (406, 'computeFault'),
                       (405, 'badMethod'), (401, 'unauthorized')]:
        assert list(_body(faults.fault_response(code, 'x'))) == [name]


def test_unexpected_errors_hide_their_details():
    response = faults.exception_response(KeyError('secret-internal'))
    assert response.status_int == 500
    message = _body(response)['computeFault']['message']
    assert message.startswith('Unexpected API Error.')
    assert 'secret-internal' not in message
    assert 'Traceback' not in response.text


def test_nova_500s_are_not_shown_to_clients():
    response = faults.exception_response(
        exception.DBError(reason='password=hunter2'))
    assert response.status_int == 500
    assert 'hunter2' not in response.text


def test_an_internal_service_that_does_not_answer_is_a_503():
    import oslo_messaging as messaging
    for error in (messaging.MessagingTimeout('Timed out waiting for a '
                                             'reply to message ID 42'),
                  messaging.MessageDeliveryFailure('broker gone'),
                  # The mandatory flag: no queue took it.
                  messaging.MessageUndeliverable(None, 'nova', 'compute.h1',
                                                 {})):
        response = faults.exception_response(error)
        assert response.status_int == 503
        assert _body(response) == {'serviceUnavailable': {
            'code': 503, 'message': faults.SERVICE_UNAVAILABLE_MESSAGE}}
        assert 'message ID' not in response.text


def test_an_image_service_that_fails_is_a_503_that_says_so():
    response = faults.exception_response(exception.GlanceConnectionFailed(
        server='http://glance:9292', reason='HTTP 500'))
    assert response.status_int == 503
    message = _body(response)['serviceUnavailable']['message']
    assert message.startswith('Connection to the Image API')
