from django.apps import AppConfig


class Cmi5Config(AppConfig):
    name = "kizuna.cmi5"
    label = "cmi5"

    def ready(self) -> None:
        from kizuna.lrs.grants import register_grant_resolver
        from kizuna.lrs.matching import register_activity_resolver
        from kizuna.ops.schedule import register_job
        from kizuna.packages.formats import register_lesson_importer

        from . import kinds, launching, matching, services
        from .tasks import enqueue_abandon

        kinds.register_kinds()
        register_grant_resolver(launching.session_grant)
        register_activity_resolver(matching.activity_target)
        register_lesson_importer(services.is_cmi5_upload, services.cmi5_lesson_import)
        register_job(id="cmi5_abandon", enqueue=enqueue_abandon, minute="17")
