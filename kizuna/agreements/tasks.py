"""Background work of agreements: versions taking effect, anonymization, the weekly digest, the monthly report."""

from django_tasks import task


@task()
def apply_due_task() -> int:
    """Daily: make agreement versions whose effective date has come take effect."""
    from .services import agreements_apply_due

    return agreements_apply_due()


@task()
def anonymize_departed_task() -> int:
    """Daily: anonymize departed reps once their agreement's retention period is over."""
    from .services import departed_reps_anonymize

    return departed_reps_anonymize()


@task()
def compliance_digest_task() -> int:
    """Weekly: e-mail managers their agency's compliance gaps."""
    from .emails import compliance_digests_send

    return compliance_digests_send()


@task()
def monthly_report_task() -> int:
    """Monthly: e-mail each agency's report of the previous month."""
    from .emails import monthly_reports_send

    return monthly_reports_send()


def enqueue_apply_due() -> None:
    apply_due_task.enqueue()


def enqueue_anonymize() -> None:
    anonymize_departed_task.enqueue()


def enqueue_compliance_digest() -> None:
    compliance_digest_task.enqueue()


def enqueue_monthly_report() -> None:
    monthly_report_task.enqueue()
