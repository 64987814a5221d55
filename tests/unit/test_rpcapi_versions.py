"""Each service's RPC client and server agree on the interface."""

import inspect

import pytest

from nova.compute import manager as compute_manager
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import manager as conductor_manager
from nova.conductor import rpcapi as conductor_rpcapi
from nova.scheduler import manager as scheduler_manager
from nova.scheduler import rpcapi as scheduler_rpcapi

PAIRS = [
    (conductor_rpcapi, conductor_rpcapi.ConductorAPI,
     conductor_manager.ConductorManager),
    (scheduler_rpcapi, scheduler_rpcapi.SchedulerAPI,
     scheduler_manager.SchedulerManager),
    (compute_rpcapi, compute_rpcapi.ComputeAPI,
     compute_manager.ComputeManager),
]


@pytest.mark.parametrize('module,client,manager', PAIRS)
def test_client_and_server_versions_are_equal(module, client, manager):
    assert module.VERSION == manager.target.version


@pytest.mark.parametrize('module,client,manager', PAIRS)
def test_version_history_documents_the_current_version(module, client,
                                                        manager):
    assert '    %s - ' % module.VERSION in module.__doc__


@pytest.mark.parametrize('module,client,manager', PAIRS)
def test_every_client_method_has_a_server_endpoint(module, client, manager):
    client_methods = {name for name, _ in inspect.getmembers(
        client, inspect.isfunction) if not name.startswith('_')}
    missing = {name for name in client_methods
               if not callable(getattr(manager, name, None))}
    assert missing == set()


def test_instance_json_columns_are_those_of_the_model():
    # instance_get_all sends them as text; the client decodes exactly these.
    import sqlalchemy as sa

    from nova.db import models
    table = models.Instance.__table__
    assert set(conductor_rpcapi.INSTANCE_JSON_COLUMNS) == {
        c.name for c in table.columns if isinstance(c.type, sa.JSON)}


def test_instance_datetime_columns_are_those_of_the_model():
    # instance_get_all sends them as ISO strings; the client parses these.
    import sqlalchemy as sa

    from nova.db import models
    table = models.Instance.__table__
    assert set(conductor_rpcapi.INSTANCE_DATETIME_COLUMNS) == {
        c.name for c in table.columns if isinstance(c.type, sa.DateTime)}
