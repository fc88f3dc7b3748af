from django.apps import AppConfig


class PwaConfig(AppConfig):
    """Kizuna as an installable app: the web app manifest, its icons, the service worker and the offline page."""

    name = "kizuna.pwa"
    label = "pwa"
