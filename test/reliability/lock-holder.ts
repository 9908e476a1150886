// Holds a write lock on a SQLite database from another process, as an agent
// mid-transaction does. Prints "locked" once it holds it and lets go when
// stdin ends (or after HOLD_MS when given), then prints "released".
//   node lock-holder.ts DB immediate|exclusive [HOLD_MS]
import Database from 'better-sqlite3';

const [file, mode, holdMs] = process.argv.slice(2);
const db = new Database(file);
db.exec(mode === 'exclusive' ? 'BEGIN EXCLUSIVE' : 'BEGIN IMMEDIATE');
// A pending change, so the lock guards a real write.
db.exec("UPDATE run_events SET content = content WHERE id = (SELECT min(id) FROM run_events)");
process.stdout.write('locked\n');

const release = () => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
};
if (holdMs) setTimeout(release, Number(holdMs));
process.stdin.on('end', release);
process.stdin.resume();
