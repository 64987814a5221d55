"""The flat network as a (read-only) Networking API v2.0.

With ``[network] backend = flat`` there is no Neutron, yet the clients
of an OpenStack cloud look networks up in the catalog's ``network``
service: Horizon's Launch Instance and instance pages, ``openstack network
list`` and ``openstack server create --network private``.  nova-api
serves, under ``/networking``, what they read: the flat network and its
subnet, a port per instance address (from the instances' network_info),
each project's ``default`` security group, and the extension list.  The
flat network is made by configuration and its addresses by builds, so
every write answers 405 saying so.
"""
