from kizuna.ops.errors import ApplicationError


class CertificationError(ApplicationError):
    """A change to certifications or their webhooks that cannot be made; the message is shown to the user."""
