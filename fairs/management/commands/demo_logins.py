"""``manage.py demo_logins [--url URL]``: the site's address and the demo accounts (printed by ``make run``)."""

from django.core.management.base import BaseCommand

from accounts.models import User
from fairs.demo import DEMO_ACCOUNTS
from fairs.demo_upcoming import GRADUATE_PASSWORD, GRADUATES
from fairs.demo_upcoming import SLUG as UPCOMING_SLUG
from fairs.models import Fair


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
        self.stdout.write("")
        self.stdout.write(
            f"Partner feeds: {base}admin/feeds/syncrun/ · employers a feed named without a 统一社会信用代码 wait in"
            f" {base}admin/feeds/unmatchedemployer/ (staff.sh@demo.talent.cn: match, verify or refuse)"
        )
        fair = Fair.objects.filter(slug=UPCOMING_SLUG).first()
        if fair is None:
            return
        slug = fair.slug
        self.stdout.write("")
        self.stdout.write(f"Try the fair day ({fair.name}, {fair.get_state_display()}):")
        for line in (
            f"1. Graduate: {base}fairs/{slug}/ → 一键报名 (graduate@demo.talent.cn, or sign up and fill the profile:"
            " 2026/2027届, 大专 or above) → the ticket and its code",
            f"2. Staff (staff.js@demo.talent.cn, host centre): {base}admin/fairs/participation/?status__exact=pending"
            " → 通过 a Jiangsu application, then 分配展位",
            f"3. Open the doors: {base}admin/fairs/fair/ → tick the fair → action 推进到下一阶段 (→ 进行中)",
            f"4. Check-in, works on a phone: {base}fairs/{slug}/check-in/ → type the ticket code (twice: 已签到)",
            f"5. Booth: recruiter@demo.talent.cn → {base}fairs/exhibiting/ → 展位收简历 → the ticket code",
            f"6. The graduate's 我的申请: {base}me/applications/ · the counters: {base}fairs/{slug}/",
            f"   graduate01…{GRADUATES:02d}@demo.talent.cn ({GRADUATE_PASSWORD}) are registered already.",
        ):
            self.stdout.write(f"  {line}")
