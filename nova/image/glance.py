"""Image API v2 (Glance) client, and the compute's image cache.

The client talks to ``[glance] endpoint`` on the keystoneauth1 session of
the ``[glance]`` session options (TLS, timeout).  Each request authenticates
with the auth plugin ``nova.service_auth`` chooses for the caller's context:
its token, with nova's service token when ``[service_user]
send_service_user_token`` is set (so an upload still goes through after the
user's token expired), or, for a context without a token, the ``[glance]``
auth options' user, or nothing.  The context's global request id goes along
as ``X-OpenStack-Request-ID``, so Glance's log lines of the call can be found
from nova's.  Glance's answers become plain dicts and its errors the domain
exceptions of ``nova.exception``.

An image as returned here::

    {'id', 'name', 'status', 'disk_format', 'container_format', 'size',
     'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk',
     'min_ram', 'owner', 'visibility', 'is_public', 'protected', 'os_hidden',
     'tags', 'created_at', 'updated_at',      # naive UTC datetimes
     'properties': {...}}                      # every non-core attribute
"""

import hashlib
import os
import re
import time
import urllib.parse
import uuid

from keystoneauth1 import exceptions as ks_exc
from oslo_concurrency import lockutils
from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils
import requests

import nova.conf
from nova import exception
from nova import service_auth

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF

CHUNK_SIZE = 64 * 1024
JSON_PATCH = 'application/openstack-images-v2.1-json-patch'

# Glance's own attributes: always in the dicts returned here.
CORE_ATTRIBUTES = ('id', 'name', 'status', 'disk_format', 'container_format',
                   'size', 'virtual_size', 'checksum', 'os_hash_algo',
                   'os_hash_value', 'min_disk', 'min_ram', 'owner',
                   'visibility', 'protected', 'os_hidden', 'tags',
                   'created_at', 'updated_at')
# Glance's own too, but only shown when Glance sends them.
OPTIONAL_CORE = ('locations', 'direct_url', 'stores')
# What only Glance sets; never sent on create or update.
READ_ONLY = frozenset(('id', 'status', 'size', 'virtual_size', 'checksum',
                       'os_hash_algo', 'os_hash_value', 'created_at',
                       'updated_at', 'is_public') + OPTIONAL_CORE)
_LINKS = frozenset(('self', 'file', 'schema'))
_TAGS = re.compile(r'<[^>]*>')

# Answers that say "not now" (a Glance restarting, its database locked,
# a proxy without a backend), not "never": worth a retry.
RETRY_STATUS = frozenset((500, 502, 503, 504))
RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0


def _repeatable(method, data, json_body):
    """Whether sending the request twice is harmless."""
    if method in ('GET', 'HEAD', 'DELETE'):
        return True
    if method == 'PUT':
        # Image data: the same bytes again, if they can be read again.
        return data is None or isinstance(data, (bytes, bytearray)) or (
            hasattr(data, 'seekable') and data.seekable())
    # A create that names its id: a second one is refused (409).
    return method == 'POST' and bool((json_body or {}).get('id'))


def _parse_time(value):
    if not value:
        return None
    return timeutils.normalize_time(timeutils.parse_isotime(value))


def _translate_from_glance(raw):
    image = {key: raw.get(key) for key in CORE_ATTRIBUTES}
    image['min_disk'] = image['min_disk'] or 0
    image['min_ram'] = image['min_ram'] or 0
    image['tags'] = image['tags'] or []
    image['is_public'] = image['visibility'] == 'public'
    image['created_at'] = _parse_time(image['created_at'])
    image['updated_at'] = _parse_time(image['updated_at'])
    for key in OPTIONAL_CORE:
        if key in raw:
            image[key] = raw[key]
    image['properties'] = {
        key: value for key, value in raw.items()
        if key not in CORE_ATTRIBUTES and key not in OPTIONAL_CORE
        and key not in _LINKS}
    return image


def _property_value(value):
    # Image API v2 keeps extra properties as strings.
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _translate_to_glance(image_meta):
    meta = dict(image_meta)
    properties = meta.pop('properties', None) or {}
    if 'visibility' not in meta and 'is_public' in meta:
        meta['visibility'] = 'public' if meta['is_public'] else 'private'
    body = {key: value for key, value in meta.items()
            if key not in READ_ONLY and key not in _LINKS
            and value is not None}
    if 'id' in meta and meta['id']:
        body['id'] = meta['id']  # a caller may choose the id at create
    for key, value in properties.items():
        if value is not None:
            body[key] = _property_value(value)
    return body


def _pointer(key):
    return '/' + key.replace('~', '~0').replace('/', '~1')


def _error_detail(resp):
    text = _TAGS.sub(' ', resp.text or '')
    return ' '.join(text.split())[:300]


def _expected_checksum(image):
    algo, value = image.get('os_hash_algo'), image.get('os_hash_value')
    if algo and value and algo in hashlib.algorithms_available:
        return algo, value
    if image.get('checksum'):
        return 'md5', image['checksum']
    return None, None


def _new_hash(algo):
    return hashlib.new(algo, usedforsecurity=False)


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class API:
    """The Image API v2 as nova uses it."""

    def __init__(self, conf=None, session=None):
        self.conf = conf or CONF
        opts = self.conf.glance
        endpoint = opts.endpoint.rstrip('/')
        if endpoint.endswith('/v2'):
            endpoint = endpoint[:-3]
        self.endpoint = endpoint
        self.num_retries = opts.num_retries
        # Seconds before the first retry, doubling; tests shorten it.
        self.retry_delay = RETRY_DELAY
        self.session = session or service_auth.get_session(
            nova.conf.glance.GLANCE_GROUP, conf=self.conf)

    # -- plumbing ---------------------------------------------------------

    def _request(self, context, method, path, image_id=None, retry=True,
                 **kwargs):
        """One Image API request; a response below 400.

        Sent again (num_retries times, after 0.5, 1, 2... seconds) when
        Glance cannot be reached or answers 500, 502, 503 or 504, if retry
        and sending it twice is harmless: GET, HEAD, DELETE, PUT of data
        that can be read again (bytes, a seekable file), a POST that
        names the id of what it creates.  When the attempt whose answer
        was lost did the work, the retry's refusal (404 to a DELETE, 409)
        is the success it stands for: None is returned then.
        """
        data = kwargs.get('data')
        retries = self.num_retries if retry and _repeatable(
            method, data, kwargs.get('json')) else 0
        rewind = data.tell() if retries and hasattr(data, 'seek') else None
        url = '%s/v2%s' % (self.endpoint, path)
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(min(self.retry_delay * 2 ** (attempt - 1),
                               MAX_RETRY_DELAY))
                if rewind is not None:
                    data.seek(rewind)
            try:
                resp = self._send(context, method, url, **kwargs)
            except ks_exc.ConnectionError as e:
                if attempt == retries:
                    raise exception.GlanceConnectionFailed(
                        server=self.endpoint, reason=str(e))
                LOG.warning('Image API %s %s failed (%s); retrying, attempt '
                            '%d of %d', method, url, e, attempt + 2,
                            retries + 1)
                continue
            code = resp.status_code
            if code in RETRY_STATUS and attempt < retries:
                LOG.warning('Image API %s %s answered %d (%s); retrying, '
                            'attempt %d of %d', method, url, code,
                            _error_detail(resp), attempt + 2, retries + 1)
                resp.close()
                continue
            if code >= 400 and attempt and self._done_before(
                    context, method, path, code, kwargs.get('json')):
                LOG.info('Image API %s %s: the attempt whose answer was '
                         'lost was done (now %d)', method, url, code)
                resp.close()
                return None
            break
        if resp.status_code >= 400:
            try:
                self._raise_for(resp, image_id)
            finally:
                resp.close()
        return resp

    def _send(self, context, method, url, **kwargs):
        try:
            # auth None: no token, unless the session brings its own plugin.
            auth = service_auth.get_auth_plugin(
                context, nova.conf.glance.GLANCE_GROUP, conf=self.conf)
            return self.session.request(
                url, method, raise_exc=False, auth=auth,
                # On a 401 keystoneauth renews the plugin's token (a service
                # token can be renewed) and sends the request again as it
                # is: not a stream or file it has already consumed.
                allow_reauth=not hasattr(kwargs.get('data'), 'read') and
                not hasattr(kwargs.get('data'), '__next__'),
                global_request_id=getattr(context, 'global_id', None),
                **kwargs)
        except ks_exc.ConnectionError:
            raise  # _request's to retry
        except ks_exc.ClientException as e:
            # No token for the call: Keystone refused the service user or
            # [glance]'s, or their options are wrong.
            # The detail (Keystone's answer) stays in the log.
            LOG.error('No authentication for a call to the Image API: %s', e)
            raise exception.GlanceConnectionFailed(
                server=self.endpoint,
                reason='nova could not authenticate to the Image API')

    def _done_before(self, context, method, path, code, body):
        """After a lost answer: does the retry's refusal (code) mean the
        lost attempt did the work?  A DELETE finds nothing (404); a
        create finds its id taken (409) by an image of the same name; an
        upload finds the data there (409, the image active)."""
        if method == 'DELETE':
            return code == 404
        if code != 409:
            return False
        image_id = (body or {}).get('id') if method == 'POST' else \
            path.split('/')[2]
        try:
            image = self._show_raw(context, image_id)
        except exception.NovaException:
            return False
        if method == 'POST':
            return image.get('name') == body.get('name')
        return method == 'PUT' and image.get('status') == 'active'

    def _raise_for(self, resp, image_id):
        code, detail = resp.status_code, _error_detail(resp)
        LOG.debug('Image API %s %s answered %d: %s', resp.request.method,
                  resp.url, code, detail)
        if code == 404 and image_id:
            raise exception.ImageNotFound(image_id=image_id)
        if code == 401:
            raise exception.NotAuthenticated()
        if code == 403:
            raise exception.ImageNotAuthorized(image_id=image_id)
        if code == 409:
            raise exception.ImageConflict(image_id=image_id, reason=detail)
        if code >= 500:
            raise exception.GlanceConnectionFailed(
                server=self.endpoint, reason='HTTP %d: %s' % (code, detail))
        raise exception.ImageBadRequest(image_id=image_id,
                                        response='HTTP %d: %s' % (code,
                                                                  detail))

    @staticmethod
    def _image_path(image_id, suffix=''):
        if not image_id or not isinstance(image_id, str):
            raise exception.InvalidImageRef(image_href=image_id)
        return '/images/%s%s' % (urllib.parse.quote(image_id, safe=''),
                                 suffix)

    def _show_raw(self, context, image_id):
        return self._request(context, 'GET', self._image_path(image_id),
                             image_id=image_id).json()

    # -- metadata ---------------------------------------------------------

    def show(self, context, image_id):
        """The image's metadata; ImageNotFound when Glance has none."""
        return _translate_from_glance(self._show_raw(context, image_id))

    def detail(self, context, name=None, limit=None, **filters):
        """Images visible to the caller, following Glance's pages.

        ``name`` and any other Image API filter (``status``, ``visibility``,
        ``disk_format``, ...) narrow the list; ``limit`` caps it.
        """
        params = {key: value for key, value in filters.items()
                  if value is not None}
        if name is not None:
            params['name'] = name
        params['limit'] = min(limit, 100) if limit else 100
        images = []
        while True:
            body = self._request(context, 'GET', '/images',
                                 params=params).json()
            page = body.get('images', [])
            images.extend(_translate_from_glance(raw) for raw in page)
            if limit and len(images) >= limit:
                return images[:limit]
            if not page or not body.get('next'):
                return images
            params['marker'] = page[-1]['id']

    def create(self, context, image_meta, data=None):
        """A new image (queued); with ``data``, uploaded (then active).

        Its id is chosen here unless given, so that a create whose answer
        was lost can be sent again (Glance refuses a second one).
        """
        body = _translate_to_glance(image_meta)
        body.setdefault('id', str(uuid.uuid4()))
        resp = self._request(context, 'POST', '/images', json=body)
        if resp is None:
            image = self.show(context, body['id'])
        else:
            image = _translate_from_glance(resp.json())
        LOG.info('Created image %s (%s)', image['id'], image['name'])
        if data is not None:
            return self.upload(context, image['id'], data)
        return image

    def update(self, context, image_id, values=None, remove=()):
        """Set attributes and properties, remove properties; the image.

        ``values`` holds core attributes (``name``, ``min_disk``, ...) and
        properties, flat or under ``'properties'``; read-only keys are
        ignored.
        """
        values = dict(values or {})
        values.update(values.pop('properties', None) or {})
        current = self._show_raw(context, image_id)
        ops = []
        for key, value in values.items():
            if key in READ_ONLY or key in _LINKS:
                continue
            if key in CORE_ATTRIBUTES:
                op = 'replace'
            else:
                if value is None:
                    continue
                value = _property_value(value)
                op = 'replace' if key in current else 'add'
            ops.append({'op': op, 'path': _pointer(key), 'value': value})
        ops.extend({'op': 'remove', 'path': _pointer(key)}
                   for key in remove
                   if key in current and key not in CORE_ATTRIBUTES)
        if not ops:
            return _translate_from_glance(current)
        resp = self._request(context, 'PATCH', self._image_path(image_id),
                             image_id=image_id, data=jsonutils.dumps(ops),
                             headers={'Content-Type': JSON_PATCH})
        return _translate_from_glance(resp.json())

    def delete(self, context, image_id):
        resp = self._request(context, 'DELETE', self._image_path(image_id),
                             image_id=image_id)
        if resp is not None:
            resp.close()
        LOG.info('Deleted image %s', image_id)

    # -- data -------------------------------------------------------------

    def upload(self, context, image_id, data):
        """Upload the image's data; the image, now active.

        ``data`` is a file path, an open binary file, bytes, or an iterator
        of bytes (sent chunked).  Retried as _request says, unless it is an
        iterator (a stream cannot be replayed).
        """
        headers = {'Content-Type': 'application/octet-stream'}
        path = self._image_path(image_id, '/file')
        if isinstance(data, (str, os.PathLike)):
            with open(data, 'rb') as f:
                resp = self._request(context, 'PUT', path,
                                     image_id=image_id, data=f,
                                     headers=headers)
        else:
            resp = self._request(context, 'PUT', path, image_id=image_id,
                                 data=data, headers=headers)
        if resp is not None:
            resp.close()
        return self.show(context, image_id)

    def download(self, context, image_id, dest_path):
        """Stream the image's data into dest_path; the image's metadata.

        The data is checked against Glance's ``os_hash_value`` (or the md5
        ``checksum``); on a mismatch or any failure dest_path is removed.
        """
        image = self.show(context, image_id)
        if image['status'] != 'active':
            raise exception.ImageNotActive(image_id=image_id)
        algo, expected = _expected_checksum(image)
        resp = self._request(context, 'GET', self._image_path(image_id,
                                                              '/file'),
                             image_id=image_id, stream=True)
        try:
            if resp.status_code == 204:  # no data (yet)
                raise exception.ImageNotActive(image_id=image_id)
            if not algo and resp.headers.get('Content-MD5'):
                algo, expected = 'md5', resp.headers['Content-MD5']
            digest = _new_hash(algo) if algo else None
            size = 0
            with open(dest_path, 'wb') as f:
                for chunk in resp.iter_content(CHUNK_SIZE):
                    f.write(chunk)
                    size += len(chunk)
                    if digest:
                        digest.update(chunk)
                f.flush()
                os.fsync(f.fileno())
        except requests.exceptions.RequestException as e:
            _unlink(dest_path)
            raise exception.GlanceConnectionFailed(server=self.endpoint,
                                                   reason=str(e))
        except BaseException:
            _unlink(dest_path)
            raise
        finally:
            resp.close()
        if digest and digest.hexdigest() != expected:
            _unlink(dest_path)
            raise exception.ImageChecksumMismatch(
                image_id=image_id, algorithm=algo, expected=expected,
                actual=digest.hexdigest())
        LOG.info('Downloaded image %s (%d bytes%s) to %s', image_id, size,
                 ', %s verified' % algo if digest else ', no checksum',
                 dest_path)
        return image


def fetch_to_cache(context, image_id, cache_dir, api=None):
    """The path of the image's data in cache_dir, downloading it once.

    The data lands in ``cache_dir/<image_id>`` by an atomic rename, so a
    file there is always complete.  A lock per image id (threads and
    processes sharing cache_dir) makes concurrent builds download it once,
    and keeps the image cache manager from deleting a file being handed
    out: each use renews its modification time, which the manager reads
    as "last used".
    """
    path = cache_path(cache_dir, image_id)
    os.makedirs(cache_dir, exist_ok=True)
    with cache_lock(cache_dir, image_id):
        if os.path.exists(path):
            os.utime(path)
            return path
        part = '%s.part-%s' % (path, uuid.uuid4().hex[:8])
        try:
            (api or API()).download(context, image_id, part)
            os.replace(part, path)
        finally:
            _unlink(part)
    return path


def cache_path(cache_dir, image_id):
    """Where the image's data is (or goes) in cache_dir."""
    if (not image_id or not isinstance(image_id, str) or '/' in image_id
            or image_id.startswith('.')):
        raise exception.InvalidImageRef(image_href=image_id)
    return os.path.join(cache_dir, image_id)


def cache_lock(cache_dir, image_id):
    """The lock of one image in an image cache (threads and processes)."""
    return lockutils.lock('image-' + image_id, external=True,
                          lock_path=os.path.join(cache_dir, '.locks'))
