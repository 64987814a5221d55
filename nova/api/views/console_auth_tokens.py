"""What a console token opens."""


def show(token):
    return {'console': {
        'instance_uuid': token['instance_uuid'], 'host': token['host'],
        'port': token['port'],
        'internal_access_path': token['internal_access_path']}}
