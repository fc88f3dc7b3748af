from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "kizuna.agreements"
    label = "agreements"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job
        from kizuna.orgs.readiness import register_setup_check
        from kizuna.records.projections import AppProjection, register

        from . import learning_time, tasks
        from .setup import agreement_steps

        register(
            AppProjection(
                name="learning_time",
                apply=learning_time.learning_time_apply,
                apply_batch=learning_time.learning_time_apply_batch,
                rebuild=learning_time.rebuild,
                rebuild_reps=learning_time.rebuild_reps,
                rebuild_month=learning_time.rebuild_month,
            )
        )
        register_job(id="agreements_apply_due", enqueue=tasks.enqueue_apply_due, hour=0, minute=10)
        register_job(id="agreements_anonymize_departed", enqueue=tasks.enqueue_anonymize, hour=2, minute=30)
        register_job(
            id="agreements_compliance_digest", enqueue=tasks.enqueue_compliance_digest, day_of_week="mon", hour=8
        )
        register_job(id="agreements_monthly_report", enqueue=tasks.enqueue_monthly_report, day=1, hour=7)
        register_setup_check(agreement_steps)

        from kizuna.accounts.sessions import on_departure

        from .services import departure_note

        # A rep deactivated by hand or by the agency's directory: the retention clock starts now.
        on_departure(lambda user, left: departure_note(user=user, left=left))
