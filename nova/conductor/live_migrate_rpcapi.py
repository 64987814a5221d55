"""The conductor client's live migration methods (1.25), a part of
nova.conductor.rpcapi.ConductorAPI kept here (CALLS classifies them
there with the others)."""


class LiveMigrationAPI:

    def live_migrate_instance(self, ctxt, instance_uuid, host=None,
                              block_migration=None, force=False):
        """Live migrate the instance (to host, checked by the scheduler
        unless force; else the scheduler's choice).  block_migration:
        True, False or None (auto: when the storage is not shared)."""
        self._cast(ctxt, 'live_migrate_instance', version='1.25',
                   instance_uuid=instance_uuid, host=host,
                   block_migration=block_migration, force=force)

    def check_and_live_migrate_instance(self, ctxt, instance_uuid,
                                        host=None, block_migration=None,
                                        force=False):
        """live_migrate_instance, answered once the destination is chosen
        and the pre-checks passed; their failure is raised
        (MigrationPreCheckError: the API's 400 before 2.34).  A second
        run would start a second migration: sent once."""
        return self.client.prepare(
            version='1.25', timeout=self.client.conf.long_rpc_timeout).call(
            ctxt, 'check_and_live_migrate_instance',
            instance_uuid=instance_uuid, host=host,
            block_migration=block_migration, force=force)
