// test/bench/jsonata/bench.js: evaluations/s of jsonata-js for each
// expression (compiled once, evaluated in a loop for SECONDS seconds).
// Usage: node bench.js <jsonata module path> doc.json expressions.txt [seconds]
'use strict';
const fs = require('fs');
const jsonata = require(process.argv[2]);
const doc = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const exprs = fs.readFileSync(process.argv[4], 'utf8').split('\n').filter((l) => l.trim());
const seconds = Number(process.argv[5] || 1);
(async () => {
  for (const e of exprs) {
    const compiled = jsonata(e);
    await compiled.evaluate(doc);            // warm-up
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < seconds) {
      await compiled.evaluate(doc);
      n++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    console.log((n / elapsed).toFixed(1) + '\t' + e);
  }
})();
