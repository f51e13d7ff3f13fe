"""One scripted PyMySQL session against mosim, as a Python service would run it.

Usage: pymysql_session.py HOST PORT DATABASE SNAPSHOT. Prints one line per step; any
unexpected answer raises, so the exit status is non-zero. Driven by mosim/tests/clients.rs.
"""

import sys

import pymysql

host, port, db, snapshot = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def one(cur, sql, args=None):
    cur.execute(sql, args)
    return cur.fetchone()[0]


def expect_error(cur, sql):
    try:
        cur.execute(sql)
    except pymysql.MySQLError as e:
        return e.args[0], e.args[1]
    raise AssertionError(f"{sql} succeeded")


# PyMySQL defaults to autocommit off: MatrixOne then opens a transaction at the first
# statement, and CREATE SNAPSHOT would be refused inside it. A service that takes snapshots
# turns autocommit on and uses explicit transactions, as here.
conn = pymysql.connect(host=host, port=port, user="root", password="111", database="test", autocommit=True)
cur = conn.cursor()
print("connected", one(cur, "SELECT VERSION()"))
print("isolation", one(cur, "SELECT @@transaction_isolation"))
# What MatrixOne's own Python SDK sets on every connection.
cur.execute("SET experimental_ivf_index = 1, experimental_hnsw_index = 1, experimental_fulltext_index = 1")
print("vector index", one(cur, "SELECT @@experimental_ivf_index"))

cur.execute(f"CREATE DATABASE `{db}`")
cur.execute(f"USE `{db}`")
cur.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))")
print("text", one(cur, "SELECT 1 + 1"))
cur.execute("INSERT INTO t VALUES (%s, %s)", (1, "one"))
print("prepared", one(cur, "SELECT %s + %s", (40, 2)))

conn.begin()
cur.execute("INSERT INTO t VALUES (%s, %s)", (2, "two"))
conn.commit()
print("committed", one(cur, "SELECT COUNT(*) FROM t"))

conn.begin()
cur.execute("INSERT INTO t VALUES (%s, %s)", (3, "three"))
# DDL inside a transaction is part of it in MatrixOne, and so goes with the ROLLBACK.
cur.execute("CREATE TABLE side (a INT)")
cur.execute("INSERT INTO side VALUES (1)")
conn.rollback()
side = one(cur, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = 'side'", (db,))
print("rolled back", one(cur, "SELECT COUNT(*) FROM t"), "side tables", side)

cur.execute(f"CREATE SNAPSHOT `{snapshot}` FOR DATABASE `{db}`")
cur.execute("INSERT INTO t VALUES (4, 'four')")
then = one(cur, f"SELECT COUNT(*) FROM t {{SNAPSHOT = '{snapshot}'}}")
print("snapshot", then, "now", one(cur, "SELECT COUNT(*) FROM t"))

code, _ = expect_error(cur, "SELECT * FROM no_such_table")
print("error", code)
conn.begin()
code, message = expect_error(cur, f"CREATE SNAPSHOT `{snapshot}_2` FOR DATABASE `{db}`")
conn.rollback()
print("error", code, message)

cur.execute(f"DROP SNAPSHOT `{snapshot}`")
cur.execute(f"DROP DATABASE `{db}`")
conn.close()
print("done")
