"""Remote console documents."""


def remote_console(protocol, console_type, url):
    return {'remote_console': {'protocol': protocol, 'type': console_type,
                               'url': url}}


def console(console_type, url):
    """os-getVNCConsole's answer (2.1-2.5)."""
    return {'console': {'type': console_type, 'url': url}}
