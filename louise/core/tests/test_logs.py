"""Log lines carry their figures as key=value; a failing task is logged, then still fails."""

import logging

import pytest

from louise.core.logs import KeyValueFormatter, logged_failure


def test_extra_fields_follow_the_message_as_key_value() -> None:
    # given a record as `log.info("...", extra={...})` makes it
    record = logging.makeLogRecord({"name": "louise.x", "levelname": "INFO",
                                    "msg": "plan run finished",
                                    "run": 7, "seconds": 1.8, "error": "kein Fahrer da"})
    # when it is formatted
    line = KeyValueFormatter("%(levelname)s %(name)s %(message)s").format(record)
    # then the fields follow, quoted where they hold spaces
    assert line == "INFO louise.x plan run finished run=7 seconds=1.8 error='kein Fahrer da'"


def test_a_failing_task_is_logged_by_its_module_and_raises(caplog) -> None:
    # given a task body that fails
    @logged_failure
    def mail_send(order_id: int) -> str:
        raise ConnectionError("SMTP down")

    # when it runs / then it still fails, and the failure is logged with its traceback
    with pytest.raises(ConnectionError):
        mail_send(3)
    [record] = caplog.records
    assert (record.name, record.levelname, record.getMessage()) == (__name__, "ERROR",
                                                                    "task failed")
    assert record.task.endswith("mail_send") and record.exc_info is not None
