"""The feed importer's bulk writes leave their events like every other writer (issue 14, item 2)."""

import pytest

from feeds.models import SyncRun
from feeds.services import feed_sync
from jobs.models import VacancyEvent

from .feedkit import feed, jsonld, posting

# Each step in its own committed transaction, as requests and tasks are: an event's time is its transaction's.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _kinds() -> list[str]:
    return list(VacancyEvent.objects.order_by("id").values_list("kind", flat=True))


def test_created_changed_and_closed_by_a_sync(make_source):
    source = make_source(trust="trusted")
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(10))
    assert _kinds() == ["created"] * 10

    changed = [posting(f"A{n}", title=f"机械设计工程师{n}号岗") for n in range(1, 10)]
    changed[0]["description"] = "<p>负责工业机器人产品的机械结构设计，五险一金。</p>"
    run = SyncRun.objects.create(source=source)
    feed_sync(run=run, body=jsonld(*changed))  # A1 changed, A2–A9 the same, A10 gone

    run.refresh_from_db()
    assert run.status == "success", run.error
    assert sorted(_kinds()[10:]) == ["changed", "closed"]
