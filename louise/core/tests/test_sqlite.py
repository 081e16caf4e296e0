"""The embedded database under concurrent writers: two riders' actions at the same moment
both land (they failed with "database is locked" before)."""

from .fresh import REAL_KEY, run_louise

# Two transactions that read, pause and then write, as a rider action does; with SQLite's
# default (deferred) transactions the second writer is refused at once.
RACE = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE visits (n integer)")
connection.close()
errors = []

def act():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM visits")
            time.sleep(0.3)
            cursor.execute("INSERT INTO visits VALUES (1)")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=act) for _ in range(3)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM visits")
    print(cursor.fetchone()[0], errors)
"""


def test_concurrent_read_then_write_transactions_all_land(tmp_path):
    done = run_louise(RACE, LOUISE_SECRET_KEY=REAL_KEY, LOUISE_VAR_DIR=str(tmp_path),
                      DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3 []"


def test_the_embedded_database_runs_in_wal_mode(tmp_path):
    done = run_louise("import django; django.setup(); from django.db import connection; "
                      "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
                      "print(c.fetchone()[0])", LOUISE_SECRET_KEY=REAL_KEY,
                      LOUISE_VAR_DIR=str(tmp_path),
                      DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    assert done.stdout.strip() == "wal", done.stderr
