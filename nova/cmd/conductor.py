"""nova-conductor: the database proxy and flow orchestrator."""

from nova.cmd import common
from nova.db import session as db_session


def main():
    common.serve('nova-conductor', before_start=db_session.configure)
