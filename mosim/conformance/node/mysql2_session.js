// One scripted mysql2 session against mosim, as a Node.js service would run it.
//
// Usage: node mysql2_session.js HOST PORT DATABASE SNAPSHOT. Prints one line per step; any
// unexpected answer throws, so the exit status is non-zero. Driven by mosim/tests/clients.rs.
// `execute` uses real server-side prepared statements (COM_STMT_PREPARE / EXECUTE).
'use strict';

const mysql = require('mysql2/promise');

const [host, port, db, snapshot] = process.argv.slice(2);

async function one(conn, sql, args) {
  const [rows] = args === undefined ? await conn.query({ sql, rowsAsArray: true }) : await conn.execute({ sql, rowsAsArray: true }, args);
  return rows[0][0];
}

async function expectError(conn, sql) {
  try {
    await conn.query(sql);
  } catch (e) {
    return [e.errno, e.sqlMessage];
  }
  throw new Error(`${sql} succeeded`);
}

async function main() {
  const conn = await mysql.createConnection({ host, port: Number(port), user: 'root', password: '111', database: 'test' });
  console.log('connected', await one(conn, 'SELECT VERSION()'));
  console.log('isolation', await one(conn, 'SELECT @@transaction_isolation'));
  await conn.query('SET experimental_ivf_index = 1');
  console.log('vector index', await one(conn, 'SELECT @@experimental_ivf_index'));

  await conn.query(`CREATE DATABASE \`${db}\``);
  await conn.query(`USE \`${db}\``);
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))');
  console.log('text', await one(conn, 'SELECT 1 + 1'));
  await conn.execute('INSERT INTO t VALUES (?, ?)', [1, 'one']);
  console.log('prepared', await one(conn, 'SELECT ? + ?', [40, 2]));

  await conn.beginTransaction();
  await conn.execute('INSERT INTO t VALUES (?, ?)', [2, 'two']);
  await conn.commit();
  console.log('committed', await one(conn, 'SELECT COUNT(*) FROM t'));

  await conn.beginTransaction();
  await conn.execute('INSERT INTO t VALUES (?, ?)', [3, 'three']);
  await conn.query('CREATE TABLE side (a INT)');
  await conn.query('INSERT INTO side VALUES (1)');
  await conn.rollback();
  const side = await one(conn, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'side'", [db]);
  console.log('rolled back', await one(conn, 'SELECT COUNT(*) FROM t'), 'side tables', side);

  await conn.query(`CREATE SNAPSHOT \`${snapshot}\` FOR DATABASE \`${db}\``);
  await conn.query("INSERT INTO t VALUES (4, 'four')");
  const then = await one(conn, `SELECT COUNT(*) FROM t {SNAPSHOT = '${snapshot}'}`);
  console.log('snapshot', then, 'now', await one(conn, 'SELECT COUNT(*) FROM t'));

  console.log('error', (await expectError(conn, 'SELECT * FROM no_such_table'))[0]);
  await conn.beginTransaction();
  const [code, message] = await expectError(conn, `CREATE SNAPSHOT \`${snapshot}_2\` FOR DATABASE \`${db}\``);
  await conn.rollback();
  console.log('error', code, message);

  await conn.query(`DROP SNAPSHOT \`${snapshot}\``);
  await conn.query(`DROP DATABASE \`${db}\``);
  await conn.end();
  console.log('done');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
