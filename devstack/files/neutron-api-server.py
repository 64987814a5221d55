"""Serve Neutron's API (the WSGI application neutron.wsgi.api) with the
standard library: one process, a thread per request.

Neutron 29 ships no server of its own (no neutron-server script), only the
WSGI application; devstack/neutron.sh runs it with this script instead of
building uwsgi.  Usage:

    neutron-api-server.py HOST PORT

The configuration files come from OS_NEUTRON_CONFIG_DIR and
OS_NEUTRON_CONFIG_FILES, which neutron.wsgi.api reads.  SIGTERM stops the
server (a bare serve_forever would ignore it).
"""

import os
import signal
import socketserver
import sys
import threading
import time
from wsgiref import simple_server

host, port = sys.argv[1], int(sys.argv[2])
# neutron parses sys.argv as its own command line.
sys.argv = sys.argv[:1]
# The OVN hash ring sizes itself by the number of API workers, which it
# reads from uwsgi, mod_wsgi or this variable; this server is one worker.
# Without it: "RuntimeError: The Neutron API workers count is zero".
os.environ.setdefault('ASGI_WORKERS', '1')


def sqlite_setup():
    """Neutron on SQLite (devstack's choice when nova's database is
    SQLite; upstream Neutron supports MySQL and PostgreSQL only).

    Neutron's threads write concurrently: requests, and the OVSDB
    connection threads, which touch the OVN hash ring as events arrive.  In
    SQLite's default journal mode a read transaction turning into a write
    failed at once with "database is locked" (a single port create: HTTP
    500).  So: write-ahead logging (readers never wait), writers wait for
    each other up to 10 s, and "database is locked" is a deadlock to oslo.db,
    which Neutron's retry decorators retry."""
    import sqlite3

    from oslo_db import exception as db_exc
    from oslo_db.sqlalchemy import exc_filters
    import sqlalchemy as sa

    @sa.event.listens_for(sa.engine.Engine, 'connect')
    def _connect(dbapi_connection, record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute('PRAGMA journal_mode = WAL')
            dbapi_connection.execute('PRAGMA busy_timeout = 10000')

    @exc_filters.filters('sqlite', sa.exc.OperationalError,
                         r'^.*database is locked')
    def _locked(error, match, engine_name, is_disconnect):
        raise db_exc.DBDeadlock(error)


def sqlite_no_touch_from_ovsdb_thread():
    """The other half, once Neutron is loaded: an OVSDB connection thread
    touches the hash ring (a write) while it holds the connection's lock,
    when the cached last touch looks older than HASH_RING_TOUCH_INTERVAL.
    A request that has written, then looks a row up in OVSDB, waits for
    that lock while the thread waits for the request's write lock: a
    deadlock until the busy timeout (seen: 30 s stalls, then HTTP 500).
    This process's own health check thread touches the node every
    HASH_RING_TOUCH_INTERVAL (its period was fixed at import): the check
    in the OVSDB thread only needs to fire when that thread has stalled."""
    from neutron.common.ovn import constants
    constants.HASH_RING_TOUCH_INTERVAL = constants.HASH_RING_NODES_TIMEOUT


sqlite_setup()
started = time.monotonic()
from neutron.wsgi import api  # noqa: E402  (reads the config, loads ML2/OVN)
from oslo_config import cfg  # noqa: E402

if cfg.CONF.database.connection.startswith('sqlite'):
    sqlite_no_touch_from_ovsdb_thread()


class Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 64


class Handler(simple_server.WSGIRequestHandler):

    def address_string(self):  # no reverse DNS lookup per request
        return self.client_address[0]


httpd = simple_server.make_server(host, port, api.application,
                                  server_class=Server, handler_class=Handler)


def stop(signum, frame):
    # shutdown() waits for serve_forever, which runs in this (the main)
    # thread: call it from another one.
    threading.Thread(target=httpd.shutdown, daemon=True).start()


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
print('neutron-api: serving on %s:%d, application loaded in %.1fs'
      % (host, port, time.monotonic() - started), file=sys.stderr, flush=True)
httpd.serve_forever()
httpd.server_close()
print('neutron-api: stopped', file=sys.stderr, flush=True)
# Neutron's own threads (OVSDB connections, the OVN maintenance and hash
# ring loops) are not daemons: they would keep the process alive.
os._exit(0)
