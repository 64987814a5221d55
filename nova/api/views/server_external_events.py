"""The body of POST /os-server-external-events: each event as sent, with
its status ('completed' unless sent) and the code it got."""


def event(sent, code):
    shown = {'name': sent['name'], 'server_uuid': sent['server_uuid'],
             'status': sent.get('status', 'completed') if code == 200
             else 'failed',
             'code': code}
    if 'tag' in sent:
        shown['tag'] = sent['tag']
    return shown


def collection(events):
    return {'events': events}
