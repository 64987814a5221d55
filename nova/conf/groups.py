"""Registering an option group: a fresh OptGroup for each ConfigOpts.

oslo.config keeps the group's options, their overrides included, in the
group object it is given (register_group copies it only shallowly), so a
module-level group registered in two ConfigOpts would share set_override()
between them: a test's conf would leak into the process's CONF.
"""

from oslo_config import cfg


def register(conf, group, opts):
    fresh = cfg.OptGroup(group.name, title=group.title, help=group.help)
    conf.register_group(fresh)
    conf.register_opts(opts, group=fresh)
