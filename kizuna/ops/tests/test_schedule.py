from kizuna.ops import schedule


def test_a_registered_job_is_scheduled_at_its_time(monkeypatch):
    calls = []
    monkeypatch.setattr(schedule, "_JOBS", {})
    schedule.register_job(id="test_job", enqueue=lambda: calls.append(1), hour=6, minute=30)
    job = schedule.build_scheduler().get_job("test_job")
    assert job is not None
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert fields["hour"] == "6" and fields["minute"] == "30"
    job.func()
    assert calls == [1]
