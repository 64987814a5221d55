"""Flavor representations, per microversion."""

from nova.api.views import common

DESCRIPTION = (2, 55)
EXTRA_SPECS = (2, 61)
SWAP_AS_INT = (2, 75)


def _links(req, flavor):
    return [{'rel': 'self', 'href': req.link('flavors', flavor['flavorid'])},
            {'rel': 'bookmark',
             'href': req.link('flavors', flavor['flavorid'], bookmark=True)}]


def basic(req, flavor):
    view = {'id': flavor['flavorid'], 'name': flavor['name'],
            'links': _links(req, flavor)}
    if req.is_version(DESCRIPTION):
        view['description'] = flavor['description']
    return view


def detail(req, flavor, show_extra_specs=True):
    swap = flavor['swap']
    if not swap and not req.is_version(SWAP_AS_INT):
        swap = ''
    view = {
        'id': flavor['flavorid'],
        'name': flavor['name'],
        'ram': flavor['memory_mb'],
        'vcpus': flavor['vcpus'],
        'disk': flavor['root_gb'],
        'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral_gb'],
        'swap': swap,
        'os-flavor-access:is_public': flavor['is_public'],
        'rxtx_factor': flavor['rxtx_factor'],
        'OS-FLV-DISABLED:disabled': flavor['disabled'],
        'links': _links(req, flavor),
    }
    if req.is_version(DESCRIPTION):
        view['description'] = flavor['description']
    if req.is_version(EXTRA_SPECS) and show_extra_specs:
        view['extra_specs'] = flavor['extra_specs']
    return view


def collection(req, flavors, builder, limit):
    body = {'flavors': [builder(req, f) for f in flavors]}
    links = common.next_links(req, flavors, limit, 'flavorid')
    if links:
        body['flavors_links'] = links
    return body
