import pytest

from nova.db import migration
from nova.db import session


@pytest.fixture(autouse=True)
def database():
    engine = session.create_engine('sqlite://')
    migration.db_sync(engine)
    session.use_engine(engine)
    yield engine
    session.dispose()
