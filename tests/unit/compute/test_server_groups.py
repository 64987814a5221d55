"""nova.compute.server_groups.ServerGroupAPI with a fake conductor."""

from unittest import mock

from oslo_config import cfg

from nova.compute import server_groups
from nova import context as nova_context
import nova.conf


def test_a_group_is_created_within_its_users_server_groups_limit():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    conductor = mock.Mock()
    conductor.quota_get.return_value = {'server_groups': 3}
    api = server_groups.ServerGroupAPI(conf, conductor)
    context = nova_context.RequestContext(user_id='u', project_id='p')
    api.create(context, 'g', 'anti-affinity', {'max_server_per_host': 2})
    # The limit asked for is the user's in its project.
    assert conductor.quota_get.call_args[0][1] == 'p'
    assert conductor.quota_get.call_args[1] == {'user_id': 'u'}
    conductor.server_group_create.assert_called_once_with(
        context, {'name': 'g', 'project_id': 'p', 'user_id': 'u',
                  'policy': 'anti-affinity',
                  'rules': {'max_server_per_host': 2}}, quota_limit=3)
