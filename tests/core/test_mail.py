import pytest
from django.db import transaction

from talentfair.core.tasks import send_email
from tests.conftest import wait_for


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_mail_is_sent_by_a_real_worker(celery_worker_process):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    with transaction.atomic():
        transaction.on_commit(lambda: send_email.delay(to=["g@example.cn"], subject="主题", body="正文"))
    new = wait_for(lambda: set(mail_dir.iterdir()) - before)
    assert new, "the worker wrote no mail"
    text = next(iter(new)).read_text()
    assert "g@example.cn" in text
