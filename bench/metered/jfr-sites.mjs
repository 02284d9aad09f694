// Where a metered call waits, from the profile pass's JFR recording (run by run.sh):
//
//   jfr print --stack-depth 128 --events jdk.SocketRead,jdk.ThreadPark rec.jfr \
//     | node jfr-sites.mjs CALLS
//
// Sums the socket reads (a JDBC round trip to PostgreSQL, or the upstream's answer) and the thread
// parks (waiting for a group commit, a pooled connection, a stream's head) by the innermost
// dev.purser frame of their stack, per call, as a Markdown table. JFR records only the events
// longer than its thresholds (the `profile` settings), so these are the longer waits, not all of
// them. Only events on a call's path count: their stack passes through dev.purser.metered,
// dev.purser.billing or the ledger's group commit (which a caller drains itself); the background
// pollers and the HTTP client's selector thread are left out. With jdk.ExecutionSample events in
// the input it also counts where the JVM's threads run Java code: each sample by the library of its
// innermost frame outside the JDK (java., jdk., sun.), all threads (a sample's time is JFR's
// sampling period, so it is a share, not a duration).
import readline from 'node:readline';

const calls = Number(process.argv[2]);
const UNITS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, min: 60000, h: 3600000 };
const by = new Map();
let event = null;

const cpu = new Map();
const cpuSite = new Map();
let samples = 0;
const LIBRARY = /^(dev\.purser\.\w+|org\.hibernate|com\.fasterxml\.jackson|io\.vertx|io\.netty|org\.postgresql|io\.agroal|com\.arjuna|io\.quarkus|io\.smallrye|org\.jboss\.resteasy|org\.jboss|io\.micrometer|org\.bouncycastle|org\.web3j)/;

function done(e) {
  if (!e) return;
  if (e.type === 'jdk.ExecutionSample') {
    samples++;
    const outside = e.frames.find((n) => !/^(java|jdk|sun|javax)\./.test(n));
    const lib = outside ? (LIBRARY.exec(outside)?.[1] ?? outside.split('.').slice(0, 2).join('.'))
      : `JDK only (${(e.frames[0] ?? '?').split('.').slice(0, 3).join('.')})`;
    cpu.set(lib, (cpu.get(lib) ?? 0) + 1);
    // the innermost frame of Purser's own code: which of its steps the sample ran in
    const ours = e.frames.find((n) => n.startsWith('dev.purser.'));
    const step = ours ? ours.replace('dev.purser.', '') : 'no Purser frame (HTTP server, pools, clients, timers)';
    cpuSite.set(step, (cpuSite.get(step) ?? 0) + 1);
    return;
  }
  const ours = e.frames.find((n) => n.startsWith('dev.purser.'));
  if (!ours || !e.frames.some((n) => /^dev\.purser\.(metered|billing)\.|DrawBatcher/.test(n))) return;
  const site = `${e.type.replace('jdk.', '')} in ${ours.replace('dev.purser.', '')}`;
  const s = by.get(site) ?? { site, count: 0, ms: 0 };
  s.count++;
  s.ms += e.ms;
  by.set(site, s);
}

// `jfr print` text, read line by line (its JSON for a few hundred calls outgrows a string).
for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  let m;
  if ((m = /^(jdk\.\w+) \{$/.exec(line))) {
    done(event);
    event = { type: m[1], ms: 0, frames: [] };
  } else if (event && (m = /^ {2}duration = ([\d.]+) (\S+)$/.exec(line))) {
    event.ms = Number(m[1]) * (UNITS[m[2]] ?? NaN);
  } else if (event && (m = /^ {4}([\w.$]+)\(.*\) line: /.exec(line))) {
    event.frames.push(m[1]);
  }
}
done(event);
console.log('| wait (JFR event) in, innermost Purser frame | events / call | ms / call |');
console.log('|---|---:|---:|');
for (const s of [...by.values()].sort((a, b) => b.ms - a.ms).slice(0, 25)) {
  console.log(`| ${s.site} | ${(s.count / calls).toFixed(2)} | ${(s.ms / calls).toFixed(2)} |`);
}
if (samples) {
  console.log(`\nJava execution samples (${samples}), by the library of the innermost frame outside the JDK:\n`);
  console.log('| library | share of samples |');
  console.log('|---|---:|');
  for (const [lib, n] of [...cpu.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`| ${lib} | ${(100 * n / samples).toFixed(1)} % |`);
  }
  console.log('\nThe same samples by the innermost frame of Purser\'s own code on their stack:\n');
  console.log('| innermost Purser frame | share of samples |');
  console.log('|---|---:|');
  for (const [step, n] of [...cpuSite.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`| ${step} | ${(100 * n / samples).toFixed(1)} % |`);
  }
}
