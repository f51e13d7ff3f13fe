#!/usr/bin/env bash
# One scripted session of the `mariadb` command-line client against mosim, as a CI job or a
# shell script would run it: one connection, statements in batch mode, `--force` to go on past
# the errors the session provokes on purpose.
#
# Usage: mariadb_session.sh HOST PORT DATABASE SNAPSHOT. Prints one line per step (the client
# prints the SELECTs' values; its error lines are turned into "error <code> [<message>]" and
# kept in order). Driven by mosim/tests/clients.rs.
set -euo pipefail
host=$1 port=$2 db=$3 snapshot=$4
client=$(command -v mariadb || command -v mysql || true)
if [ -z "$client" ]; then
    echo "mariadb_session: no mariadb (or mysql) client on PATH" >&2
    exit 2
fi
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# Each statement that must fail is followed by a marker SELECT, so its error lands in place.
# Several columns print tab-separated; the transcript joins them with spaces.
set +e
out=$("$client" --protocol=TCP -h "$host" -P "$port" -u root -p111 --batch --skip-column-names --force test 2>"$err" <<SQL
SELECT 'connected', VERSION();
SELECT 'isolation', @@transaction_isolation;
SET experimental_ivf_index = 1;
SELECT 'vector index', @@experimental_ivf_index;
CREATE DATABASE \`$db\`;
USE \`$db\`;
CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20));
SELECT 'text', 1 + 1;
PREPARE ins FROM 'INSERT INTO t VALUES (?, ?)';
SET @id = 1, @name = 'one';
EXECUTE ins USING @id, @name;
PREPARE sum FROM 'SELECT ? + ?';
SET @a = 40, @b = 2;
SELECT 'prepared';
EXECUTE sum USING @a, @b;
BEGIN;
INSERT INTO t VALUES (2, 'two');
COMMIT;
SELECT CONCAT('committed ', COUNT(*)) FROM t;
START TRANSACTION;
INSERT INTO t VALUES (3, 'three');
CREATE TABLE side (a INT);
INSERT INTO side VALUES (1);
ROLLBACK;
SELECT CONCAT('rolled back ', (SELECT COUNT(*) FROM t), ' side tables ',
    (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$db' AND table_name = 'side'));
CREATE SNAPSHOT \`$snapshot\` FOR DATABASE \`$db\`;
INSERT INTO t VALUES (4, 'four');
SELECT CONCAT('snapshot ', (SELECT COUNT(*) FROM t {SNAPSHOT = '$snapshot'}), ' now ', (SELECT COUNT(*) FROM t));
SELECT * FROM no_such_table;
SELECT 'after error 1';
BEGIN;
CREATE SNAPSHOT \`${snapshot}_2\` FOR DATABASE \`$db\`;
SELECT 'after error 2';
ROLLBACK;
DROP SNAPSHOT \`$snapshot\`;
DROP DATABASE \`$db\`;
SELECT 'done';
SQL
)
status=$?
set -e
# With --force the client exits 1 when any statement failed; anything else is a failure.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    cat "$err" >&2
    exit "$status"
fi
# Error lines look like: ERROR 1146 (42S02) at line 30: Table 'x.no_such_table' doesn't exist
mapfile -t errors < <(sed -n 's/^ERROR \([0-9]*\) ([0-9A-Z]*) at line [0-9]*: \(.*\)$/\1 \2/p' "$err")
i=0
while IFS= read -r line; do
    case "$line" in
        "prepared") read -r value && echo "prepared $value" ;;
        "after error "*)
            e=${errors[$i]:-}
            i=$((i + 1))
            code=${e%% *}
            # The first provoked error is MariaDB's own (its text names the table): the code
            # is what matters; the second is mosim's, checked word for word.
            if [ "$line" = "after error 1" ]; then echo "error $code"; else echo "error $e"; fi
            ;;
        *) echo "$line" ;;
    esac
done <<<"${out//$'\t'/ }"
if [ "$i" -ne "${#errors[@]}" ]; then
    echo "mariadb_session: unexpected errors:" >&2
    cat "$err" >&2
    exit 1
fi
