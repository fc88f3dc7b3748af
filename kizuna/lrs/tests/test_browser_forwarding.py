"""At phone size: the principal admin sets up forwarding to an external LRS and sees the statements go."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.lrs.forwarding import forward_all
from kizuna.lrs.models import LrsForwarder
from kizuna.tests.browser_support import sign_in

from .test_forwarding import SECRET, ExternalLrs, _post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_sets_up_forwarding_and_sees_it_up_to_date(cast, live_server, phone, principal_lrs):
    external = ExternalLrs()
    try:
        ids = _post(principal_lrs, 3)
        page, base = phone, live_server.url
        sign_in(page, base, cast.admin.email)
        page.goto(f"{base}/settings/lrs/forwarding/")
        assert page.get_by_text("ステートメントはどこにも転送されていません。").is_visible()
        page.get_by_label("名前").fill("会社の LRS")
        page.get_by_label("LRS のエンドポイント").fill(external.url)
        page.get_by_label("キー(ユーザー名)").fill("company")
        page.get_by_label("シークレット(パスワード)").fill(SECRET)
        page.get_by_role("button", name="追加").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="会社の LRS").is_visible()
        assert SECRET not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        forward_all(now=timezone.now() + timedelta(minutes=1))
        assert list(external.statements) == ids
        page.reload()
        assert page.get_by_text("最新").is_visible()
        assert LrsForwarder.objects.get().sent_count == 3
    finally:
        external.close()
