"""[image_cache] options: pruning the base images a compute host caches."""

from oslo_config import cfg

from nova.conf import groups

image_cache_group = cfg.OptGroup('image_cache', title='Image cache')

image_cache_opts = [
    cfg.IntOpt('manager_interval', default=2400, min=-1,
               help="""
Seconds between runs of the image cache manager, which deletes base images
no instance on this host uses any more; -1 disables it.
"""),
    cfg.BoolOpt('remove_unused_base_images', default=True,
                help='Delete base images that no instance on this host has '
                     'used for remove_unused_original_minimum_age_seconds.'),
    cfg.IntOpt('remove_unused_original_minimum_age_seconds', default=86400,
               min=0,
               help="""
Seconds a base image must have been unused before it is deleted, so an
image that is booted again soon is not downloaded again.
"""),
]


def register_opts(conf):
    groups.register(conf, image_cache_group, image_cache_opts)


def list_opts():
    return {image_cache_group.name: image_cache_opts}
