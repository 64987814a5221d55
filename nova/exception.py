"""Domain exceptions.

Every exception a client may see is a ``NovaException`` carrying its HTTP
``code`` and a message template; ``nova.api.faults`` is the one place that
turns them into responses.  They travel over RPC intact: oslo.messaging
rebuilds them on the caller from their module, class name and ``kwargs``.
"""


class NovaException(Exception):
    msg_fmt = 'An unknown exception occurred.'
    code = 500
    # Safe to show the message to a client even when code is 500.
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if 'code' not in self.kwargs:
            self.kwargs['code'] = self.code
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.args[0] if self.args else self.message


class Invalid(NovaException):
    msg_fmt = 'Bad request: %(reason)s'
    code = 400


class ValidationError(Invalid):
    msg_fmt = '%(detail)s'


class MalformedRequestBody(Invalid):
    msg_fmt = 'Malformed request body: %(reason)s'


class InvalidAPIVersionString(Invalid):
    msg_fmt = ('API Version String %(version)s is of invalid format. Must '
               'be of format MajorNum.MinorNum.')


class InvalidGlobalAPIVersion(NovaException):
    msg_fmt = ('Version %(req_ver)s is not supported by the API. Minimum is '
               '%(min_ver)s and maximum is %(max_ver)s.')
    code = 406


class InvalidConfiguration(NovaException):
    msg_fmt = 'Invalid configuration: %(reason)s'


class InstanceFaultRollback(NovaException):
    """A move failed before the guest left its host, and the host put it
    back as it was: the instance keeps its state (as upstream's
    InstanceFaultRollback); the fault is the inner error."""
    msg_fmt = 'Instance rollback performed due to: %(inner)s'

    def __init__(self, inner_exception=None, **kwargs):
        # kwargs alone when oslo.messaging rebuilds it on a caller.
        self.inner_exception = inner_exception
        if inner_exception is not None:
            kwargs['inner'] = (inner_exception.format_message()
                               if isinstance(inner_exception, NovaException)
                               else str(inner_exception))
        super().__init__(**kwargs)


class RemoteCopyFailed(NovaException):
    msg_fmt = ('Copying %(path)s to %(host)s failed: %(reason)s')


class NotAuthenticated(NovaException):
    msg_fmt = 'Authentication required'
    code = 401


class Forbidden(NovaException):
    msg_fmt = 'Forbidden'
    code = 403


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class NotFound(NovaException):
    msg_fmt = 'Resource could not be found.'
    code = 404


class Conflict(NovaException):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409


class ServiceNotFound(NotFound):
    msg_fmt = 'Service %(service_id)s could not be found.'


class HostBinaryNotFound(NotFound):
    msg_fmt = 'Compute host %(host)s could not be found.'


class ServiceHostBinaryNotFound(NotFound):
    msg_fmt = 'Service with host %(host)s binary %(binary)s not found.'


class ServiceInUse(Conflict):
    msg_fmt = 'Service %(service_id)s cannot be deleted: %(reason)s'


class FlavorNotFound(NotFound):
    msg_fmt = 'Flavor %(flavor_id)s could not be found.'


class FlavorExists(Conflict):
    msg_fmt = 'Flavor with name %(name)s already exists.'


class FlavorIdExists(Conflict):
    msg_fmt = 'Flavor with ID %(flavor_id)s already exists.'


class FlavorExtraSpecsNotFound(NotFound):
    msg_fmt = ('Flavor %(flavor_id)s has no extra specs with key '
               '%(extra_specs_key)s.')


class FlavorAccessExists(Conflict):
    msg_fmt = ('Flavor access already exists for flavor %(flavor_id)s and '
               'project %(project_id)s combination.')


class FlavorAccessNotFound(NotFound):
    msg_fmt = ('Flavor access not found for %(flavor_id)s / '
               '%(project_id)s combination.')


class FlavorAccessListOfPublicFlavor(NotFound):
    msg_fmt = 'Access list not available for public flavors.'


class FlavorAccessToPublicFlavor(Conflict):
    msg_fmt = 'Can not add access to a public flavor.'


class MarkerNotFound(Invalid):
    msg_fmt = 'marker [%(marker)s] not found'


class InvalidStrTime(Invalid):
    msg_fmt = 'Invalid datetime string: %(reason)s'


class KeypairNotFound(NotFound):
    msg_fmt = 'Keypair %(name)s not found for user %(user_id)s'


class KeyPairExists(Conflict):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class InvalidKeypair(Invalid):
    msg_fmt = 'Keypair data is invalid: %(reason)s'


class KeypairLimitExceeded(Forbidden):
    msg_fmt = 'Quota exceeded, too many key pairs.'


class DBError(NovaException):
    msg_fmt = 'Database error: %(reason)s'


class InstanceNotFound(NotFound):
    msg_fmt = 'Instance %(instance_id)s could not be found.'


class NetworkNotFoundForInstance(NotFound):
    msg_fmt = 'Instance is not a member of specified network'


class UnexpectedTaskStateError(Conflict):
    msg_fmt = ('Conflict updating instance %(instance_uuid)s. Expected: '
               '%(expected)s. Actual: %(actual)s')


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(method)s' instance %(instance_uuid)s while it is "
               "in %(attr)s %(state)s")


class InstanceActionNotFound(NotFound):
    msg_fmt = 'Action %(request_id)s on instance %(instance_uuid)s not found'


class ComputeHostNotFound(NotFound):
    msg_fmt = 'Compute host %(host)s could not be found.'


class ComputeNodeNotFound(NotFound):
    msg_fmt = 'Hypervisor %(node_id)s could not be found.'


class ResourceProviderNotFound(NotFound):
    # Placement's words (placement/handlers/resource_provider.py).
    msg_fmt = 'No resource provider with uuid %(uuid)s found'


class VolumeNotFound(NotFound):
    msg_fmt = 'Volume %(volume_id)s could not be found.'


class VolumeAttachmentNotFound(NotFound):
    # Upstream's words (nova/api/openstack/compute/volume_attachments.py).
    msg_fmt = 'Instance %(instance)s is not attached to volume %(volume)s'


class ClaimFailed(Conflict):
    msg_fmt = 'Not enough resources on %(host)s: %(reason)s'


class ComputeServiceInUse(Invalid):
    msg_fmt = 'Compute service of %(host)s is still in use.'


class NoValidHost(NovaException):
    msg_fmt = 'No valid host was found. %(reason)s'
    safe = True


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = 'Exceeded maximum number of retries. %(reason)s'


class BuildAbortException(NovaException):
    msg_fmt = 'Build of instance %(instance_uuid)s aborted: %(reason)s'


class RescheduledException(NovaException):
    msg_fmt = ('Build of instance %(instance_uuid)s was re-scheduled: '
               '%(reason)s')


class FixedIpAlreadyInUse(Invalid):
    msg_fmt = ('Fixed IP address %(address)s is already in use on instance '
               '%(instance_uuid)s.')


class NoMoreFixedIps(NovaException):
    msg_fmt = 'No fixed IP addresses available for network: %(net)s'


class OverQuota(Forbidden):
    msg_fmt = ('Quota exceeded for %(overs)s: Requested %(req)s, but already '
               'used %(used)s of %(allowed)s %(overs)s')


class InstanceGroupNotFound(NotFound):
    msg_fmt = 'Instance group %(group_uuid)s could not be found.'


class InvalidServerGroup(Invalid):
    msg_fmt = 'Invalid server group: %(reason)s'


class ServerGroupQuotaExceeded(OverQuota):
    msg_fmt = 'Quota exceeded, too many server groups.'


class ServerGroupMembersQuotaExceeded(OverQuota):
    msg_fmt = 'Quota exceeded, too many servers in group'


class NoInstanceForEvents(NotFound):
    msg_fmt = 'No instances found for any event'


class MetadataLimitExceeded(Forbidden):
    msg_fmt = 'Maximum number of metadata items exceeds %(allowed)d'


class QuotaResourceUnknown(Invalid):
    msg_fmt = 'Unknown quota resources %(unknown)s.'


class QuotaLimitTooLow(Invalid):
    # os-quota-sets: a new limit below what is used (upstream's words)
    msg_fmt = ('Quota limit %(limit)s for %(resource)s must be greater than '
               'or equal to already used and reserved %(minimum)s.')


class QuotaLimitTooHigh(Invalid):
    # os-quota-sets: a user's limit above what its project's leaves
    msg_fmt = ('Quota limit %(limit)s for %(resource)s must be less than or '
               'equal to %(maximum)s.')


class FlavorNotFoundForServer(Invalid):
    msg_fmt = 'Flavor %(flavor_id)s could not be found.'


class ImageNotFound(NotFound):
    msg_fmt = 'Image %(image_id)s could not be found.'


class InvalidImageRef(Invalid):
    msg_fmt = 'Invalid image href: %(image_href)s.'


class ImageNotActive(Invalid):
    msg_fmt = 'Image %(image_id)s is not active.'


class ImageBadRequest(Invalid):
    msg_fmt = ('Request of image %(image_id)s got BadRequest response: '
               '%(response)s')


class ImageNotAuthorized(Forbidden):
    msg_fmt = 'Not authorized for image %(image_id)s.'


class ImageConflict(Conflict):
    msg_fmt = 'Image %(image_id)s is in a conflicting state: %(reason)s'


class ImageChecksumMismatch(NovaException):
    msg_fmt = ('Data of image %(image_id)s does not match its %(algorithm)s '
               'checksum: expected %(expected)s, got %(actual)s.')


class GlanceConnectionFailed(NovaException):
    msg_fmt = 'Connection to the Image API at %(server)s failed: %(reason)s'
    code = 503
    safe = True  # the user learns the image service is unavailable


class InstanceIsLocked(Conflict):
    msg_fmt = 'Instance %(instance_uuid)s is locked'


class InstanceNotReady(Conflict):
    msg_fmt = 'Instance %(instance_uuid)s is not ready'


class MigrationNotFound(NotFound):
    msg_fmt = 'Migration %(migration_id)s could not be found.'


class MigrationNotFoundForInstance(NotFound):
    msg_fmt = ('Migration %(migration_id)s not found for instance '
               '%(instance_id)s')


class InvalidMigrationState(Invalid):
    msg_fmt = ('Migration %(migration_id)s state of instance '
               '%(instance_uuid)s is %(state)s. Cannot %(method)s while the '
               'migration is in this state.')


class MigrationPreCheckError(Invalid):
    msg_fmt = 'Migration pre-check error: %(reason)s'
    safe = True


class UnableToMigrateToSelf(Invalid):
    msg_fmt = ('Unable to migrate instance (%(instance_id)s) to current '
               'host (%(host)s).')


class InvalidCPUInfo(Invalid):
    msg_fmt = 'Unacceptable CPU info: %(reason)s'


class LiveMigrationUnfinished(NovaException):
    msg_fmt = ('Live migration to %(dest)s did not finish on the '
               'destination (%(reason)s): the guest runs there; the server '
               'is in ERROR until an operator resets it')


class LiveMigrationAborted(NovaException):
    msg_fmt = 'Live migration of instance %(instance_uuid)s was aborted.'
    safe = True


class LiveMigrationFailed(NovaException):
    msg_fmt = 'Live migration of instance %(instance_uuid)s failed: %(reason)s'
    safe = True


class VersionNotFoundForAPIMethod(NotFound):
    msg_fmt = 'API version %(version)s is not supported on this method.'


class MetadataItemNotFound(NotFound):
    msg_fmt = 'Metadata item was not found'


class InstanceTagNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s has no tag '%(tag)s'"


class TooManyInstanceTags(Invalid):
    msg_fmt = 'The number of tags exceeded the per-server limit %(limit)d'


# Host aggregates: upstream's names and messages.  Upstream's handlers turn
# the same InvalidAggregateAction into a 400 for update, set_metadata and
# delete but a 409 for add_host and remove_host: here each case has its
# class, whose code is that answer.

class AggregateNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s could not be found.'


class AggregateNameExists(Conflict):
    msg_fmt = 'Aggregate %(aggregate_name)s already exists.'


class AggregateHostNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s has no host %(host)s.'


class AggregateHostExists(Conflict):
    msg_fmt = 'Aggregate %(aggregate_id)s already has host %(host)s.'


class InvalidAggregateAction(Invalid):
    msg_fmt = 'Unacceptable parameters.'


class InvalidAggregateActionAdd(InvalidAggregateAction):
    msg_fmt = ('Cannot add host to aggregate %(aggregate_id)s. Reason: '
               '%(reason)s.')
    code = 409


class InvalidAggregateActionDelete(InvalidAggregateAction):
    # Upstream's text, for deleting an aggregate as well.
    msg_fmt = ('Cannot remove host from aggregate %(aggregate_id)s. '
               'Reason: %(reason)s.')


class InvalidAggregateActionRemoveHost(InvalidAggregateActionDelete):
    code = 409


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    msg_fmt = ('Cannot update aggregate %(aggregate_id)s. Reason: '
               '%(reason)s.')


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    msg_fmt = ('Cannot update metadata of aggregate %(aggregate_id)s. '
               'Reason: %(reason)s.')


class ImageCacheNotSupported(Invalid):
    msg_fmt = ('Image pre-caching is not supported here: no compute '
               'driver of this cloud can cache images ahead of a build. '
               'Images are cached on a host by the first server built '
               'there from them.')


class AvailabilityZoneNotAvailable(Invalid):
    msg_fmt = 'The requested availability zone is not available'


class ComputeServiceUnavailable(Invalid):
    msg_fmt = 'Compute service of %(host)s is unavailable at this time.'


class NotSupportedByDriver(NovaException):
    """The compute driver cannot do what was asked (upstream's
    NotImplementedError of a driver: HTTP 501)."""
    msg_fmt = 'The requested functionality is not supported.'
    code = 501
    safe = True


class HostNotFound(NotFound):
    msg_fmt = 'Host %(host)s could not be found.'


class NetworkNotFound(NotFound):
    msg_fmt = 'Network %(network_id)s could not be found.'


class InstanceNotRunning(Invalid):
    msg_fmt = 'Instance %(instance_id)s is not running.'


class TriggerCrashDumpNotSupported(Invalid):
    msg_fmt = 'Triggering crash dump is not supported'


class SecurityGroupNotFound(NotFound):
    msg_fmt = 'Security group %(security_group_id)s not found.'


class SecurityGroupNotFoundForProject(SecurityGroupNotFound):
    msg_fmt = ('Security group %(name)s is not found for project '
               '%(project)s')


class SecurityGroupNotOnInstance(Invalid):
    msg_fmt = ('Security group %(name)s not associated with the instance '
               '%(instance)s')


# -- the Neutron backend (nova/network/neutron.py) ------------------------

class NeutronError(NovaException):
    """Neutron could not be reached, or answered what nova cannot use."""
    msg_fmt = 'Error from the network service: %(reason)s'


class PortNotFound(NotFound):
    msg_fmt = 'Port id %(port_id)s could not be found.'


class PortInUse(Conflict):
    msg_fmt = 'Port %(port_id)s is still in use.'


class PortNotUsable(Invalid):
    msg_fmt = 'Port %(port_id)s not usable for instance %(instance)s.'


class PortBindingFailed(Invalid):
    msg_fmt = ('Binding failed for port %(port_id)s, please check neutron '
               'logs for more information.')


class PortRequiresFixedIP(Invalid):
    msg_fmt = 'Port %(port_id)s requires a FixedIP in order to be used.'


class NetworkAmbiguous(Conflict):
    msg_fmt = ('Multiple possible networks found, use a Network ID to be '
               'more specific.')


class NetworkRequiresSubnet(Invalid):
    msg_fmt = ('Network %(network_uuid)s requires a subnet in order to boot '
               'instances on.')


class UnableToAutoAllocateNetwork(Invalid):
    msg_fmt = ('Unable to automatically allocate a network for project '
               '%(project_id)s')


class InterfacesNeedNeutron(NovaException):
    """os-interface with the flat network (upstream's answer when the
    network API cannot: HTTP 501)."""
    msg_fmt = ('Network interfaces are attached and detached through the '
               'Networking service (Neutron); this cloud\'s network backend '
               'is %(backend)s, whose one network every server is on.')
    code = 501
    safe = True


class InterfaceAttachFailedNoNetwork(Invalid):
    msg_fmt = ('No specific network was requested and none are available '
               'for project \'%(project_id)s\'.')


class InterfaceAttachConflict(Conflict):
    msg_fmt = '%(reason)s'


class InterfaceAttachFailed(Conflict):
    msg_fmt = ('Failed to attach network adapter device to %(instance_uuid)s:'
               ' %(reason)s')


class InterfaceNotAttached(NotFound):
    msg_fmt = ('Port %(port_id)s is not attached to instance '
               '%(instance_uuid)s.')


class NoUniqueMatch(Conflict):
    msg_fmt = 'No Unique Match Found: %(reason)s'


class VirtualInterfaceCreateException(NovaException):
    msg_fmt = 'Virtual Interface creation failed'


class InvalidToken(NotAuthenticated):
    # Never the token itself in a message or a log line.
    msg_fmt = 'The console token is invalid or has expired.'


class ConsoleTypeInvalid(Invalid):
    msg_fmt = 'Invalid console type %(console_type)s'


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = 'Unavailable console type %(console_type)s.'


class ConsoleNotAvailable(NotFound):
    msg_fmt = 'Guest does not have a console available.'
