"""Engine and transactions.

One engine per process, built from [database] connection.  Data functions
take their session from ``writer()``/``reader()`` so each is one
transaction.
"""

import contextlib
import fcntl
import os
import threading

from oslo_log import log as logging
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm
from sqlalchemy import pool as sa_pool

from nova import exception

LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_ENGINE = None
_SESSIONMAKER = None


class WriterLock:
    """One writer at a time: among this process's threads (re-entrant) and,
    given a lock file, among the processes that use it too.

    SQLite has one writer at a time, and pysqlite starts transactions
    lazily, so concurrent threads fail with "database is locked" or, on the
    one shared connection of an in-memory database, corrupt each other's
    transactions; and a writer that finds the file locked by another
    process sleeps and retries (the busy timeout), by steps of up to
    100 ms.  Transactions on SQLite therefore take this lock, which hands
    the turn over at once; with the file lock (flock, which the kernel
    releases when its process dies) the workers of nova-conductor share a
    database file.
    """

    def __init__(self, path=None):
        self._threads = threading.RLock()
        self._path = path
        self._depth = 0
        self._fd = None
        self._pid = None

    def _file(self):
        if self._pid != os.getpid():
            # Opened again in a forked child: a descriptor inherited
            # from the parent would share the parent's lock.
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self):
        self._threads.acquire()
        self._depth += 1
        if self._depth == 1 and self._path:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except BaseException:
                self._depth -= 1
                self._threads.release()
                raise
        return self

    def __exit__(self, *exc_info):
        try:
            if self._depth == 1 and self._path:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._depth -= 1
            self._threads.release()


_SQLITE_LOCK = WriterLock()
_SERIALIZE = False
_SHARED_CONNECTION = False


def create_engine(connection, max_pool_size=10, max_overflow=20,
                  recycle=3600, debug=False):
    url = sa.engine.make_url(connection)
    kwargs = {'echo': debug, 'future': True}
    if url.get_backend_name() == 'sqlite':
        kwargs['connect_args'] = {'check_same_thread': False, 'timeout': 30}
        if url.database in (None, '', ':memory:'):
            # One shared connection, or each thread would see its own
            # empty in-memory database.
            kwargs['poolclass'] = sa_pool.StaticPool
    else:
        kwargs.update(pool_size=max_pool_size, max_overflow=max_overflow,
                      pool_recycle=recycle, pool_pre_ping=True)
        if url.get_backend_name() == 'mysql':
            kwargs['isolation_level'] = 'READ COMMITTED'
    engine = sa.create_engine(url, **kwargs)
    if url.get_backend_name() == 'sqlite':
        event.listen(engine, 'connect', _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_conn, _record):
    cursor = dbapi_conn.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.close()


def configure(conf):
    """Build the process's engine from conf; idempotent."""
    if _ENGINE is None:
        db = conf.database
        use_engine(create_engine(db.connection, db.max_pool_size,
                                 db.max_overflow, db.connection_recycle_time,
                                 db.connection_debug))
    return _ENGINE


def use_engine(engine):
    """Install an engine built elsewhere (tests)."""
    global _ENGINE, _SESSIONMAKER, _SERIALIZE, _SHARED_CONNECTION
    global _SQLITE_LOCK
    with _LOCK:
        _ENGINE = engine
        _SESSIONMAKER = orm.sessionmaker(bind=engine, expire_on_commit=False)
        _SERIALIZE = engine.dialect.name == 'sqlite'
        _SHARED_CONNECTION = isinstance(engine.pool, sa_pool.StaticPool)
        database = engine.url.database if _SERIALIZE else None
        _SQLITE_LOCK = WriterLock(
            database + '.lock' if database and database != ':memory:'
            and not _SHARED_CONNECTION else None)


def dispose():
    global _ENGINE, _SESSIONMAKER
    with _LOCK:
        if _ENGINE is not None:
            _ENGINE.dispose()
        _ENGINE = _SESSIONMAKER = None


def get_engine():
    if _ENGINE is None:
        raise exception.DBError(reason='database engine not configured')
    return _ENGINE


@contextlib.contextmanager
def _transaction(lock):
    if _SESSIONMAKER is None:
        raise exception.DBError(reason='database engine not configured')
    with lock:
        session = _SESSIONMAKER()
        try:
            with session.begin():
                yield session
        except sa_exc.OperationalError as e:
            LOG.exception('Database operation failed')
            raise exception.DBError(reason=str(e.orig).splitlines()[0])
        finally:
            session.close()


@contextlib.contextmanager
def _connection(lock):
    if _ENGINE is None:
        raise exception.DBError(reason='database engine not configured')
    with lock:
        try:
            with _ENGINE.begin() as connection:
                yield connection
        except sa_exc.OperationalError as e:
            LOG.exception('Database operation failed')
            raise exception.DBError(reason=str(e.orig).splitlines()[0])


def write_connection():
    """A Core connection in a transaction committed on success.

    What writer() is without the ORM: for the hot paths, where a session's
    unit of work and identity map cost more than the statements.
    """
    return _connection(_SQLITE_LOCK if _SERIALIZE
                       else contextlib.nullcontext())


def read_connection():
    """A Core connection for reads (locking as reader())."""
    return _connection(_SQLITE_LOCK if _SHARED_CONNECTION
                       else contextlib.nullcontext())


def writer():
    """A session in a transaction committed on success."""
    return _transaction(_SQLITE_LOCK if _SERIALIZE
                        else contextlib.nullcontext())


def reader():
    """A session for reads.

    Readers of a SQLite file do not block each other (WAL), so only the
    single shared connection of an in-memory database needs the lock.
    """
    return _transaction(_SQLITE_LOCK if _SHARED_CONNECTION
                        else contextlib.nullcontext())
