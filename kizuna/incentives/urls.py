from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("incentives/", views.incentives, name="incentives"),
    path("incentives/partners/<int:partner_id>/", views.statement, name="incentive_statement"),
    path("incentives/partners/<int:partner_id>/statement.csv", views.statement_csv, name="incentive_statement_csv"),
    path("incentives/partners/<int:partner_id>/statement.xlsx", views.statement_xlsx, name="incentive_statement_xlsx"),
    path("incentives/partners/<int:partner_id>/rules/", views.rules, name="incentive_rules"),
    path("incentives/rules/<int:rule_id>/end/", views.rule_end, name="incentive_rule_end"),
]
