"""The conductor client's console token methods (conductor RPC 1.27),
a part of nova.conductor.rpcapi.ConductorAPI kept beside it."""


class ConsoleAuthAPI:

    def console_auth_token_create(self, ctxt, instance_uuid, console_type,
                                  host, port, access_url_base,
                                  internal_access_path=None):
        """A new token for the console at host:port; returns its row with
        'token' (the only time the token is seen) and 'expires'."""
        return self._call(
            ctxt, 'console_auth_token_create', instance_uuid=instance_uuid,
            console_type=console_type, host=host, port=port,
            access_url_base=access_url_base,
            internal_access_path=internal_access_path)

    def console_auth_token_validate(self, ctxt, token):
        """The token's row (with compute_host, its instance's host), or
        InvalidToken."""
        return self._call(ctxt, 'console_auth_token_validate', token=token)
