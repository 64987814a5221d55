"""The server password document."""


def show(password):
    return {'password': password or ''}
