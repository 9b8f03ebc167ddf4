// Runs a live view's module under Node for tests/unit/explorers/test_live_views.py.
// Usage: node views_runner.mjs <module.mjs>  < calls.json  > results.json
// The module is a view's ES module (engine + draw.js + view) with an extra export line
// naming the functions to call; each call is {fn, args} and answers {result} or {error}.
// Importing the module runs no DOM code: views touch the page only inside render().
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const view = await import(pathToFileURL(process.argv[2]).href);
const calls = JSON.parse(readFileSync(0, "utf-8"));
const answers = calls.map(({ fn, args }) => {
  try {
    return { result: view[fn](...args) };
  } catch (error) {
    return { error: String(error) };
  }
});
process.stdout.write(JSON.stringify({ answers, defaultExport: typeof view.default?.render }));
