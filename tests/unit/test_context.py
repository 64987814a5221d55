from nova import context


def test_admin_role_makes_an_admin_context():
    assert context.RequestContext('u', 'p', roles=['admin']).is_admin
    assert not context.RequestContext('u', 'p', roles=['member']).is_admin


def test_round_trip_keeps_identity_and_ids():
    ctxt = context.RequestContext('u', 'p', roles=['reader'],
                                  remote_address='10.0.0.1')
    copy = context.RequestContext.from_dict(ctxt.to_dict())
    assert copy.to_dict() == ctxt.to_dict()
    assert copy.timestamp == ctxt.timestamp


def test_elevated_keeps_request_id():
    ctxt = context.RequestContext('u', 'p', roles=['member'])
    admin = ctxt.elevated()
    assert admin.is_admin and 'admin' in admin.roles
    assert admin.request_id == ctxt.request_id
    assert not ctxt.is_admin


def test_admin_contexts_get_fresh_request_ids():
    first, second = context.get_admin_context(), context.get_admin_context()
    assert first.is_admin
    assert first.request_id != second.request_id
    assert first.request_id.startswith('req-')
