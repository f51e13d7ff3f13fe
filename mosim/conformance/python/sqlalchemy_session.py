"""One scripted SQLAlchemy 2.0 session (PyMySQL driver) against mosim.

Usage: sqlalchemy_session.py HOST PORT DATABASE SNAPSHOT. Prints one line per step; any
unexpected answer raises, so the exit status is non-zero. Driven by mosim/tests/clients.rs.
SQLAlchemy asks `SELECT @@transaction_isolation` on its first connection, which MariaDB
10.11 alone cannot answer.
"""

import sys

import sqlalchemy as sa
from sqlalchemy import exc

host, port, db, snapshot = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

engine = sa.create_engine(f"mysql+pymysql://root:111@{host}:{port}/test")
# Snapshots are not allowed inside a transaction: an autocommit view of the same engine.
auto = engine.execution_options(isolation_level="AUTOCOMMIT")


def expect_error(conn, sql):
    try:
        conn.execute(sa.text(sql))
    except exc.DBAPIError as e:
        return e.orig.args[0], e.orig.args[1]
    raise AssertionError(f"{sql} succeeded")


with auto.connect() as conn:
    print("connected", conn.execute(sa.text("SELECT VERSION()")).scalar_one())
    print("isolation", conn.execute(sa.text("SELECT @@transaction_isolation")).scalar_one())
    conn.execute(sa.text("SET experimental_ivf_index = 1"))
    print("vector index", conn.execute(sa.text("SELECT @@experimental_ivf_index")).scalar_one())
    conn.execute(sa.text(f"CREATE DATABASE `{db}`"))

url = f"mysql+pymysql://root:111@{host}:{port}/{db}"
engine = sa.create_engine(url)
auto = engine.execution_options(isolation_level="AUTOCOMMIT")
meta = sa.MetaData()
t = sa.Table("t", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False), sa.Column("name", sa.String(20)))
# create_all runs in a transaction of its own (engine.begin), committed at the end.
meta.create_all(engine)

with engine.connect() as conn:
    print("text", conn.execute(sa.text("SELECT 1 + 1")).scalar_one())
    conn.execute(t.insert(), {"id": 1, "name": "one"})
    conn.commit()
    print("prepared", conn.execute(sa.text("SELECT :a + :b"), {"a": 40, "b": 2}).scalar_one())

with engine.begin() as conn:
    conn.execute(t.insert(), {"id": 2, "name": "two"})
with engine.connect() as conn:
    print("committed", conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())

with engine.connect() as conn:
    conn.execute(t.insert(), {"id": 3, "name": "three"})
    conn.execute(sa.text("CREATE TABLE side (a INT)"))
    conn.execute(sa.text("INSERT INTO side VALUES (1)"))
    conn.rollback()
    count = conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
    side = conn.execute(
        sa.text("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = :d AND table_name = 'side'"),
        {"d": db},
    ).scalar_one()
    conn.rollback()
    print("rolled back", count, "side tables", side)

with auto.connect() as conn:
    conn.execute(sa.text(f"CREATE SNAPSHOT `{snapshot}` FOR DATABASE `{db}`"))
    conn.execute(t.insert(), {"id": 4, "name": "four"})
    then = conn.execute(sa.text(f"SELECT COUNT(*) FROM t {{SNAPSHOT = '{snapshot}'}}")).scalar_one()
    print("snapshot", then, "now", conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
    print("error", expect_error(conn, "SELECT * FROM no_such_table")[0])

with engine.connect() as conn:
    # Without autocommit the first statement opens the transaction, so this one is refused.
    conn.execute(sa.text("SELECT 1"))
    code, message = expect_error(conn, f"CREATE SNAPSHOT `{snapshot}_2` FOR DATABASE `{db}`")
    conn.rollback()
    print("error", code, message)

with auto.connect() as conn:
    conn.execute(sa.text(f"DROP SNAPSHOT `{snapshot}`"))
    conn.execute(sa.text(f"DROP DATABASE `{db}`"))
engine.dispose()
print("done")
