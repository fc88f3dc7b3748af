"""The live session list and a session's page keep a fixed number of queries, however many sessions and people."""

from datetime import timedelta

from kizuna.live import services

from .conftest import schedule


def test_the_list_and_the_page_do_not_grow_with_sessions_or_registrations(
    cast, signed_in, django_assert_max_num_queries
):
    sessions = [schedule(cast, starts_in=timedelta(days=d), open_to_all=True) for d in range(1, 8)]
    for session in sessions:
        for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1):
            services.live_register(session=session, rep=rep)
    for person in (cast.rep_a1, cast.author, cast.manager_a):
        client = signed_in(person)
        with django_assert_max_num_queries(6):
            assert client.get("/live/").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(f"/live/{sessions[0].pk}/").status_code == 200
        client.logout()
