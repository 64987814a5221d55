"""Tempest's compute response schemas as the oracle for functional tests.

The same approach as tests/unit/api/test_server_views.py: for a
microversion, pick the schema module tempest's own service client would
pick (its ``schema_versions_info`` table, through
``BaseComputeClient.get_schema``) and validate the body as it came off the
wire with tempest's validator class and format checker.  Tempest also
checks the status code against the schema's ``status_code`` list, and so
does ``validate``.
"""

import copy
import json
from unittest import mock

from tempest.lib.api_schema.response.compute.v2_53 import \
    hypervisors as hypervisors_v2_53
from tempest.lib.common import jsonschema_validator
from tempest.lib.services.compute import aggregates_client
from tempest.lib.services.compute import availability_zone_client
from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import hypervisor_client
from tempest.lib.services.compute import limits_client
from tempest.lib.services.compute import quota_classes_client
from tempest.lib.services.compute import quotas_client
from tempest.lib.services.compute import servers_client

SERVERS = servers_client.ServersClient
AGGREGATES = aggregates_client.AggregatesClient
HYPERVISORS = hypervisor_client.HypervisorClient
LIMITS = limits_client.LimitsClient
QUOTAS = quotas_client.QuotasClient
QUOTA_CLASSES = quota_classes_client.QuotaClassesClient
# AvailabilityZoneClient has no per-microversion table: one schema module.
AVAILABILITY_ZONES = availability_zone_client.schema


def schemas(client_class, version):
    """The schema module client_class uses at microversion 'X.Y'."""
    with mock.patch.object(base_compute_client, 'COMPUTE_MICROVERSION',
                           version):
        return base_compute_client.BaseComputeClient.get_schema(
            None, client_class.schema_versions_info)


def validate(schema, resp):
    """resp: a fixtures.Response; its status and JSON body must match."""
    assert resp.status in schema['status_code'], (resp.status, resp.text)
    body = json.loads(resp.text)
    jsonschema_validator.JSONSCHEMA_VALIDATOR(
        schema['response_body'],
        format_checker=jsonschema_validator.FORMAT_CHECKER).validate(body)
    return body


# The tempest release installed here has no 2.88 hypervisor schema (its
# HypervisorClient uses the 2.53 one for every later version).  Nova's 2.88
# change is exact: the resource figures leave the detail/show view and
# 'uptime' joins it.  Derive the 2.88 schemas from tempest's 2.53 ones.
_GONE_AT_2_88 = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                 'free_disk_gb', 'current_workload', 'running_vms',
                 'disk_available_least', 'cpu_info')


def _hypervisor_detail_2_88():
    detail = copy.deepcopy(hypervisors_v2_53.hypervisor_detail)
    for key in _GONE_AT_2_88:
        detail['properties'].pop(key)
        detail['required'].remove(key)
    detail['properties']['uptime'] = {'type': ['string', 'null']}
    detail['required'].append('uptime')
    return detail


def hypervisor_schemas_2_88():
    """(list_hypervisors_detail, get_hypervisor) for 2.88 and later."""
    detail = _hypervisor_detail_2_88()
    listing = copy.deepcopy(hypervisors_v2_53.list_hypervisors_detail)
    listing['response_body']['properties']['hypervisors']['items'] = detail
    show = copy.deepcopy(hypervisors_v2_53.get_hypervisor)
    show['response_body']['properties']['hypervisor'] = detail
    return listing, show
