"""Screenshots of the five most-used staff pages, for the design record
(issue 9: before and after the design system, docs/screenshots/).

    .venv/bin/python bench/screenshots.py                      # `make run`'s server on :8000 → docs/screenshots/after/
    .venv/bin/python bench/screenshots.py --base-url http://127.0.0.1:8036 \
        --tree ../minzheng-before --out docs/screenshots/before   # an older checkout (git worktree add ../minzheng-before 4f5453c)

The pages: the home page (inbox) as the committee, the application list as
the street, one application's page as the street, "my leads and tasks" as
the advisor on a phone (390 px), and a payment batch as the approver. The
demo district has no application and no batch until someone makes one, so
the tool first makes a few (once; through the services, with the code and
database of ``--tree``, the checkout whose server is photographed):
applications for households with open leads in the committee's area and the
current month's dibao batch. Signs in through the login form (demo password).
Each picture is the visible window only (1280×800, or 390×844), PNG, reduced
to a 256-colour palette if it would exceed 300 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "minzheng-demo"
LIMIT = 300_000
SHOTS = [  # (file, role, path, width)
    ("1-home-committee", "committee", "/", 1280),
    ("2-applications-street", "street", "/cases/", 1280),
    ("3-application-street", "street", "/cases/{application}/", 1280),
    ("4-my-work-advisor-phone", "advisor", "/monitoring/my/", 390),
    ("5-batch-approver", "approver", "/payments/batches/{batch}/", 1280),
]

# Run with the photographed checkout's code (its manage.py shell): idempotent.
PREPARE = """
import json
from django.utils import timezone
from minzheng.casework.models import Application
from minzheng.casework.services import application_create
from minzheng.core.models import User
from minzheng.demo.job_loss import NOTE
from minzheng.monitoring.models import Lead
from minzheng.payments.batches import batch_run
from minzheng.payments.models import PaymentBatch
from minzheng.registry.models import Household, HouseholdMembership
from minzheng.verification.models import VerificationRequest

committee, bureau = User.objects.get(username="committee"), User.objects.get(username="bureau")
area = {"committee_id": committee.scope_id}
candidates = [(v.household, "dibao") for v in VerificationRequest.objects.filter(note=NOTE)]
candidates += [(lead.household, lead.program) for lead in Lead.objects.filter(status="open", **area).order_by("pk")]
candidates += [(h, "dibao") for h in Household.objects.filter(archived=False, **area).order_by("pk")[:60]]
made = Application.objects.count()
for household, program in candidates:
    if made >= 6:
        break
    head = HouseholdMembership.objects.filter(household=household, end_date__isnull=True,
                                              relation="本人").select_related("person").first()
    if head is None:
        continue
    try:
        application_create(actor=committee, household=household, applicant=head.person, program=program,
                           note="走访中发现，引导申请")
        made += 1
    except Exception:
        continue
batch = PaymentBatch.objects.order_by("pk").first()
if batch is None:
    batch = batch_run(actor=bureau, program="dibao", month=timezone.localdate().strftime("%Y-%m")).batch
first = Application.objects.order_by("pk").first()
print("PREPARED " + json.dumps({"application": first.pk if first else 0, "batch": batch.pk}))
"""


def prepare(tree: Path) -> dict:
    """Make the applications and the batch in the database of ``tree``."""
    python = os.environ.get("PYTHON") or sys.executable
    env = dict(os.environ, MINZHENG_LOG_LEVEL="WARNING")
    done = subprocess.run([python, "manage.py", "shell", "-c", PREPARE], cwd=tree, env=env,
                          capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("PREPARED "))
    return json.loads(line.removeprefix("PREPARED "))


def shrink(path: Path) -> None:
    """A 256-colour palette when the PNG is larger than LIMIT (text stays sharp)."""
    if path.stat().st_size <= LIMIT:
        return
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose server runs at --base-url")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "after")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    ids = prepare(args.tree.resolve())
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, role, path, width in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 800 if width > 600 else 844},
                                          locale="zh-CN", timezone_id="Asia/Shanghai")
            page = context.new_page()
            page.goto(f"{args.base_url}/login/")
            page.fill("input[name=username]", role)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            response = page.goto(args.base_url + path.format(**ids), wait_until="networkidle")
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            shrink(target)
            print(f"{target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}: "
                  f"{role} {path.format(**ids)} {width}px, HTTP {response.status if response else '?'}, "
                  f"{target.stat().st_size // 1024} KB")
            context.close()
            if not response or response.status != 200:
                failed.append(f"{role} {path.format(**ids)}")
        browser.close()
    if failed:
        print("not answered 200: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
