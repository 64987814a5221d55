"""The Compute API for uwsgi / gunicorn / mod_wsgi.

    gunicorn --threads 16 'nova.wsgi.osapi_compute:application'

Config files come from OS_NOVA_CONFIG_FILES (';'-separated) or
/etc/nova/nova.conf.
"""

from nova.api import deploy
from nova import wsgi

application = deploy.build_app(wsgi.load_conf('nova-api'))
