"""A Placement-compatible read API over the conductor's compute nodes.

Horizon's Admin > Hypervisors and osc-placement (``openstack resource
provider ...``) read hypervisor capacity from the Placement API; here every
compute node is a resource provider and its allocations are the
allocations table's.  The app is Placement's shape: one route table
(router.py), small flat modules, errors as ``{"errors": [...]}``,
``OpenStack-API-Version: placement X.Y``.  It only reads: every write
answers 405.  nova-placement-api serves it (port 8778).
"""
