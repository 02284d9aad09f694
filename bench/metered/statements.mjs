// Summarizes PostgreSQL's statement log (log_min_duration_statement = 0) of the profile pass of
// bench/metered (run by run.sh): per mode, each distinct statement with how many times it ran per
// call and the server time it took per call (parse + bind + execute), as a Markdown table.
//
//   node statements.mjs CALLS non-stream.log stream.log
//
// Everything PostgreSQL ran while the calls ran is counted, Purser's background jobs too (the
// sweeper, the notice and push pollers): they are the rows well under one per call.
import { readFileSync } from 'node:fs';

const calls = Number(process.argv[2]);
const ENTRY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const DURATION = /duration: ([\d.]+) ms\s+(parse|bind|execute|statement)( [^:]*)?: ([\s\S]*)$/;

function summarize(file) {
  const entries = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (ENTRY.test(line)) entries.push(line);
    else if (entries.length && !/^\S*\s*(DETAIL|CONTEXT|HINT):/.test(line.trim())) {
      entries[entries.length - 1] += ' ' + line.trim();
    }
  }
  const by = new Map();
  let executes = 0;
  let ms = 0;
  for (const e of entries) {
    const m = DURATION.exec(e);
    if (!m || /DETAIL:/.test(m[4])) continue;
    const text = m[4].replace(/\s+/g, ' ').trim().slice(0, 110);
    const s = by.get(text) ?? { text, runs: 0, ms: 0 };
    s.ms += Number(m[1]);
    ms += Number(m[1]);
    if (m[2] === 'execute' || m[2] === 'statement') { s.runs++; executes++; }
    by.set(text, s);
  }
  return { executes, ms, rows: [...by.values()].sort((a, b) => b.runs - a.runs || b.ms - a.ms) };
}

const f2 = (x) => (x / calls).toFixed(2);
for (const [name, file] of [['not streamed', process.argv[3]], ['streamed', process.argv[4]]]) {
  const s = summarize(file);
  console.log(`Statements PostgreSQL ran during ${calls} calls at c=1, ${name}: ${f2(s.executes)} per`
    + ` call, ${f2(s.ms)} ms of server time per call (parse + bind + execute).\n`);
  console.log('| statement (first 110 characters) | runs / call | server ms / call |');
  console.log('|---|---:|---:|');
  for (const r of s.rows) {
    console.log(`| \`${r.text.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${f2(r.runs)} | ${f2(r.ms)} |`);
  }
  console.log();
}
