"""nova-scheduler: picks hosts for instances."""

from nova.cmd import common


def main():
    common.serve('nova-scheduler')
