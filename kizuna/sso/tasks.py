"""Background work of single sign-on: the nightly refresh of SAML IdPs' metadata from their URLs."""

from django_tasks import task

from .services import saml_metadata_refresh_all


@task()
def saml_metadata_refresh_task() -> int:
    """Read every SAML IdP's metadata URL again; return how many were read."""
    return saml_metadata_refresh_all()


def enqueue_metadata_refresh() -> None:
    saml_metadata_refresh_task.enqueue()
