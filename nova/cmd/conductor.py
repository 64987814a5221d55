"""nova-conductor: the database proxy and flow orchestrator."""

from oslo_concurrency import processutils

from nova.cmd import common
from nova.db import session as db_session


def workers(conf):
    """[conductor] workers, by default one per CPU."""
    return conf.conductor.workers or processutils.get_worker_count()


def main():
    common.serve('nova-conductor', before_start=db_session.configure,
                 workers=workers)
