"""The Compute API for uwsgi / gunicorn / mod_wsgi.

    gunicorn --threads 16 'nova.wsgi.osapi_compute:application'

Config files come from OS_NOVA_CONFIG_FILES (';'-separated) or
/etc/nova/nova.conf.
"""

import os

from nova.api import deploy
from nova import config


def init_application():
    files = os.environ.get('OS_NOVA_CONFIG_FILES', '/etc/nova/nova.conf')
    argv = ['nova-api']
    for path in files.split(';'):
        if path and os.path.exists(path):
            argv.extend(['--config-file', path])
    conf = config.parse_args(argv)
    return deploy.build_app(conf)


application = init_application()
