import pytest

from tests.functional import fixtures


@pytest.fixture
def cloud():
    cloud = fixtures.Cloud().start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    """An admin client at the default microversion (2.1)."""
    return cloud.api
