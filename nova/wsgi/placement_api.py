"""The Placement-compatible read API for uwsgi / gunicorn / mod_wsgi.

    gunicorn --threads 4 'nova.wsgi.placement_api:application'

Config files come from OS_NOVA_CONFIG_FILES (';'-separated) or
/etc/nova/nova.conf.
"""

from nova.api.placement import deploy
from nova import wsgi

application = deploy.build_app(wsgi.load_conf('nova-placement-api'))
