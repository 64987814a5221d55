"""Option groups: separate ConfigOpts do not share their settings."""

from oslo_config import cfg

import nova.conf


def test_an_override_on_one_configopts_stays_there():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    checked = []
    for module in nova.conf._MODULES:
        for group, opts in module.list_opts().items():
            if group == 'DEFAULT':
                continue
            opt = next((o for o in opts if o.default is not None), None)
            if opt is None:
                continue
            conf.set_override(opt.dest, None, group=group)
            assert conf[group][opt.dest] is None
            # The process's CONF still has the default.
            assert nova.conf.CONF[group][opt.dest] is not None, (group, opt)
            checked.append(group)
    assert {'network', 'fake_driver', 'scheduler', 'libvirt',
            'quota'} <= set(checked)
