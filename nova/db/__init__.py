"""The database layer.

Imported only by nova-conductor and nova-manage: they are the only processes
holding database credentials.  A unit test enforces this.
"""
