"""WSGI entry points for uwsgi / gunicorn / mod_wsgi (one module each)."""

import os

from nova import config


def load_conf(prog):
    """The configuration of prog from OS_NOVA_CONFIG_FILES
    (';'-separated) or /etc/nova/nova.conf; missing files are skipped."""
    files = os.environ.get('OS_NOVA_CONFIG_FILES', '/etc/nova/nova.conf')
    argv = [prog]
    for path in files.split(';'):
        if path and os.path.exists(path):
            argv.extend(['--config-file', path])
    return config.parse_args(argv)
