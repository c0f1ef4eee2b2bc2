"""``manage.py demo_logins [--url URL]``: the site's address and the demo accounts (printed by ``make run``)."""

from django.core.management.base import BaseCommand

from accounts.models import User
from fairs.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the site URL and the demo logins created by seed_demo (public demo passwords; never production)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address the site is served at")

    def handle(self, *args, url: str, **options):
        base = url if url.endswith("/") else f"{url}/"
        existing = {
            e.lower()
            for e in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).values_list("email", flat=True)
        }
        self.stdout.write(f"Site:  {base}")
        self.stdout.write(f"Admin: {base}admin/")
        self.stdout.write("Demo logins (demo data only):")
        width = max(len(a.email) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            missing = "" if account.email in existing else "   (not created yet: run `manage.py seed_demo`)"
            self.stdout.write(f"  {account.email:<{width}}  {account.password:<20} {account.role}{missing}")
