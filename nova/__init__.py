"""A Nova-compatible compute control plane.

Every service runs on native threads.  oslo.messaging imports oslo.service,
whose default backend is eventlet, and futurist imports eventlet whenever it
is installed; we select oslo.service's threading backend and make
``import eventlet`` fail so that nothing can start a hub behind our back.
"""

import sys

sys.modules.setdefault('eventlet', None)

from oslo_service import backend as _service_backend  # noqa: E402

if _service_backend.get_backend_type() is None:
    _service_backend.init_backend(_service_backend.BackendType.THREADING)
