from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "kizuna.incentives"
    label = "incentives"
    verbose_name = "Incentives"
