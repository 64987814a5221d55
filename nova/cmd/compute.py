"""nova-compute: drives the hypervisor of one host."""

from nova.cmd import common


def main():
    common.serve('nova-compute')
