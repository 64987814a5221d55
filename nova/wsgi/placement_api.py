"""The Placement-compatible read API for uwsgi / gunicorn / mod_wsgi.

    gunicorn --threads 4 'nova.wsgi.placement_api:application'

Config files come from OS_NOVA_CONFIG_FILES (';'-separated) or
/etc/nova/nova.conf.
"""

import os

from nova.api.placement import deploy
from nova import config


def init_application():
    files = os.environ.get('OS_NOVA_CONFIG_FILES', '/etc/nova/nova.conf')
    argv = ['nova-placement-api']
    for path in files.split(';'):
        if path and os.path.exists(path):
            argv.extend(['--config-file', path])
    conf = config.parse_args(argv)
    return deploy.build_app(conf)


application = init_application()
