"""What Glance said about an image at server create, kept a few seconds.

Every POST /servers asks the Image API for its image; a client booting many
servers from one image (Rally, Heat, a CI) asks the same question again and
again, at ~20 ms a time.  Only active images are kept, per caller
(token, or user and project without one: Glance answers by who asks), for
``[glance] api_image_cache_seconds``; a change in Glance (deactivated,
deleted, resized) is seen by creates at most that late, after which the
compute's download still refuses an image that is no longer active.
"""

import threading
import time

# Entries kept at most; the oldest go first.
MAX_ENTRIES = 1024


class MetadataCache:

    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._entries = {}   # key -> (expiry, image); insertion ordered

    @staticmethod
    def _key(context, image_id):
        who = context.auth_token or (context.user_id, context.project_id,
                                     tuple(sorted(context.roles or ())))
        return who, image_id

    def show(self, image_api, context, image_id):
        """image_api.show(context, image_id), or what it said lately."""
        if self.seconds <= 0:
            return image_api.show(context, image_id)
        key = self._key(context, image_id)
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return dict(entry[1])
        image = image_api.show(context, image_id)
        with self._lock:
            self._entries.pop(key, None)
            if image.get('status') == 'active':
                self._entries[key] = (now + self.seconds, dict(image))
                while len(self._entries) > MAX_ENTRIES:
                    del self._entries[next(iter(self._entries))]
        return image
