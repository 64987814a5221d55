"""An in-memory virt driver for tests and scale benchmarks."""

from nova.virt import driver


class FakeDriver(driver.ComputeDriver):

    def __init__(self, vcpus=64, memory_mb=131072, local_gb=2048):
        self.vcpus = vcpus
        self.memory_mb = memory_mb
        self.local_gb = local_gb
        self.host = None

    def init_host(self, host):
        self.host = host

    def get_available_resource(self, nodename):
        return {'vcpus': self.vcpus, 'memory_mb': self.memory_mb,
                'local_gb': self.local_gb, 'hypervisor_type': 'fake',
                'hypervisor_version': 1000,
                'hypervisor_hostname': nodename}
