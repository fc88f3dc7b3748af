"""URLs of the support desk."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("support/", views.tickets, name="tickets"),
    path("support/new/", views.ticket_new, name="ticket_new"),
    path("support/queue/", views.queue_view, name="queue"),
    path("support/tickets/<int:ticket_id>/", views.ticket, name="ticket"),
    path("support/tickets/<int:ticket_id>/assign/", views.ticket_assign_view, name="ticket_assign"),
    path("support/tickets/<int:ticket_id>/close/", views.ticket_close_view, name="ticket_close"),
    path("support/tickets/<int:ticket_id>/screenshot", views.ticket_screenshot, name="ticket_screenshot"),
    path("support/tickets/<int:ticket_id>/help/", views.help_from_ticket, name="help_from_ticket"),
    path("help/", views.help_index, name="help"),
    path("start/", views.first_run, name="first_run"),
    path("start/done/", views.first_run_done, name="first_run_done"),
    path("help/<slug:help_slug>/", views.help_page, name="help_page"),
]
