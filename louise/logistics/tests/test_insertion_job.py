"""The dispatcher's "Neue Aufträge einfügen" is a background job: the console's request
queues it and answers at once, a worker inserts, a second click while it runs starts
nothing, and only the town's dispatch may start one."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.core.errors import NotFound
from louise.logistics.models import (
    InsertionFailure,
    InsertionRun,
    LegStatus,
    RunStatus,
    Shift,
)
from louise.logistics.running import insertion_run_execute, insertion_start

from ...conftest import MONDAY_MORNING, make_customer, make_user, other_town, the_town
from .conftest import MONDAY_EVENING, order_ready

DAY = MONDAY_MORNING.date().isoformat()


@pytest.fixture
def late_leg(running_tour, shop):
    """A third customer's order packed during the day: its leg is open (these tests run
    without the commit that would announce it to the automatic insertion)."""
    person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
    leg = order_ready(shop, person, address, "late").legs.get()
    assert leg.status == LegStatus.OPEN
    return leg


@pytest.mark.django_db
def test_the_console_queues_the_insertion_and_answers_at_once(late_leg, running_tour, api,
                                                              staff_users,
                                                              django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        dispatch = api("dispatcher")
        # when the dispatcher clicks "Neue Aufträge einfügen"
        with django_capture_on_commit_callbacks(execute=False) as queued:
            answer = dispatch.post("/dispatch/insert", {"day": DAY})
        # then the answer comes at once: a queued job, nothing inserted yet
        assert answer.status_code == 202, answer.content
        run = answer.json()
        assert run["status"] == "queued" and run["placed"] == 0
        assert len(queued) == 1
        late_leg.refresh_from_db()
        assert late_leg.status == LegStatus.OPEN
        assert dispatch.get("/dispatch/day", day=DAY).json()["insertion"]["status"] == "queued"
        # when the queue hands the job to a worker (here: inline)
        queued[0]()
        # then the leg is on the running tour, and the console shows what the job did
        late_leg.refresh_from_db()
        assert late_leg.status == LegStatus.PLANNED
        assert running_tour.stops.filter(leg=late_leg).count() == 2
        day = dispatch.get("/dispatch/day", day=DAY).json()
        assert day["insertion"] | {"at": None} == {
            "id": run["id"], "status": "done", "placed": 1, "unassigned": 0, "error": "",
            "at": None}
        assert day["failures"] == []


@pytest.mark.django_db
def test_a_second_click_while_one_runs_starts_nothing(late_leg, api,
                                                     django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        dispatch = api("dispatcher")
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first = dispatch.post("/dispatch/insert", {"day": DAY})
            # when the dispatcher clicks again while the first is queued
            second = dispatch.post("/dispatch/insert", {"day": DAY})
        # then the second is refused in German and nothing more is queued
        assert first.status_code == 202
        assert second.status_code == 409
        assert second.json()["code"] == "insert_running"
        assert "werden gerade schon eingefügt" in second.json()["detail"]
        assert InsertionRun.objects.count() == 1 and len(queued) == 1
        # and the same while it is running (claimed by a worker)
        InsertionRun.objects.update(status=RunStatus.RUNNING)
        assert dispatch.post("/dispatch/insert", {"day": DAY}).status_code == 409
        # once it is done, the next click queues a new one
        InsertionRun.objects.update(status=RunStatus.DONE)
        with django_capture_on_commit_callbacks(execute=False):
            assert dispatch.post("/dispatch/insert", {"day": DAY}).status_code == 202
        assert InsertionRun.objects.count() == 2


@pytest.mark.django_db
def test_a_job_runs_once_however_often_it_is_handed_out(late_leg, staff_users):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        run = insertion_start(town=the_town(), day=MONDAY_MORNING.date(),
                              by=staff_users[Role.DISPATCHER])
        # when two workers get the same job
        first = insertion_run_execute.call(run.pk)
        second = insertion_run_execute.call(run.pk)
    # then only the first inserted
    assert first == {"status": "done", "placed": 1, "unassigned": 0}
    assert second == {"status": "done"}


@pytest.mark.django_db
def test_legs_the_job_leaves_out_are_shown_as_not_inserted(late_leg, api, running_tour,
                                                          django_capture_on_commit_callbacks):
    # given the running tour's rider cannot take the late order (the shift ends now)
    Shift.objects.filter(pk=running_tour.shift_id).update(ends_at=MONDAY_EVENING)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        dispatch = api("dispatcher")
        # when the insertion runs (inline, once committed)
        with django_capture_on_commit_callbacks(execute=True):
            assert dispatch.post("/dispatch/insert", {"day": DAY}).status_code == 202
        # then the job is done, and the console names the leg it left out
        day = dispatch.get("/dispatch/day", day=DAY).json()
    assert day["insertion"]["status"] == "done" and day["insertion"]["unassigned"] == 1
    assert [f["title"] for f in day["failures"]] == ["Nicht eingefügt: 1 Auftrag"]
    assert InsertionFailure.objects.get().legs == [late_leg.pk]


@pytest.mark.django_db
def test_without_a_published_plan_nothing_is_queued(drafts, api):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        answer = api("dispatcher").post("/dispatch/insert", {"day": DAY})
    assert answer.status_code == 409 and answer.json()["code"] == "no_running_plan"
    assert not InsertionRun.objects.exists()


@pytest.mark.django_db
def test_only_the_towns_dispatch_may_start_it(late_leg, api, staff_users):
    # given a dispatcher of another town
    gladbeck = other_town()
    stranger = make_user("dispo-gladbeck", Role.DISPATCHER, town_ids=[gladbeck.pk])
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # when they name this town, or reach it through the service / then it is unknown
        answer = api("dispo-gladbeck").post("/dispatch/insert",
                                            {"day": DAY, "town": the_town().slug})
        assert answer.status_code == 404
        with pytest.raises(NotFound):
            insertion_start(town=the_town(), day=MONDAY_MORNING.date(), by=stranger)
        # and a rider, the hotline or a customer are refused
        for username in ("rider", "hotline", "kundin"):
            assert api(username).post("/dispatch/insert", {"day": DAY}).status_code == 403
    assert not InsertionRun.objects.exists()
    late_leg.refresh_from_db()
    assert late_leg.status == LegStatus.OPEN
