"""The volume attachments document."""


def index(attachments):
    return {'volumeAttachments': attachments}
