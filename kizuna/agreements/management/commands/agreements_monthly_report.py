"""Send the monthly report of each agency (or one) by e-mail: `manage.py agreements_monthly_report --month 2026-10`."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kizuna.agreements.emails import monthly_report_send, monthly_reports_send
from kizuna.orgs.models import Organization


class Command(BaseCommand):
    help = "E-mail each agency's monthly report (compliance, learning time, KPIs) to its managers and the principal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--partner", help="the partner's code (default: every partner)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = None
        if options["month"]:
            try:
                year, number = (int(x) for x in options["month"].split("-"))
                month = date(year, number, 1)
            except ValueError:
                raise CommandError("--month must look like 2026-10") from None
        if options["partner"]:
            partner = Organization.objects.filter(kind="partner", slug=options["partner"]).first()
            if partner is None:
                raise CommandError(f"no partner with the code {options['partner']!r}")
            if month is None:
                from django.utils import timezone

                today = timezone.localdate()
                month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
            sent = monthly_report_send(partner=partner, month=month)
        else:
            sent = monthly_reports_send(month=month)
        self.stdout.write(f"sent {sent} e-mail(s)")
