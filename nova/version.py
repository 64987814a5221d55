"""Release and service version numbers."""

RELEASE = '0.1.0'

# Bumped whenever a service's RPC interface or behaviour changes in a way that
# other services must know about; stored in services.version.
SERVICE_VERSION = 1
