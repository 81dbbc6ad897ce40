// Zensical's own search worker, run in Node on a built search.json: what the search box would list.
// node tests/zensical_search.js <worker.js> <search.json> <query>... → {"query": [location, ...], ...}
// The worker speaks to the page by messages: 0 = the index, 1 = ready, 2 = a query (one page of
// results at a time), 3 = results. Used by tests/test_engines.py.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [worker, index, ...queries] = process.argv.slice(2);
const inbox = [];
const self = { postMessage: (message) => inbox.push(message) };
vm.runInContext(fs.readFileSync(worker, "utf8"),
  vm.createContext({ self, console, Intl, setTimeout, clearTimeout, queueMicrotask, TextEncoder, TextDecoder }));

const next = async () => {
  const deadline = Date.now() + 20000;
  while (!inbox.length) {
    if (Date.now() > deadline) throw new Error("the search worker did not answer");
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return inbox.shift();
};

(async () => {
  const data = JSON.parse(fs.readFileSync(index, "utf8"));
  self.onmessage({ data: { type: 0, data } });
  if ((await next()).type !== 1) throw new Error("the search worker refused the index");
  const found = {};
  for (const input of queries) {
    const locations = [];
    let page;
    for (;;) {
      self.onmessage({ data: { type: 2, data: { input, page, filter: {
        input: { type: "operator", data: { operator: "and", operands: [] } },
        aggregation: { input: [{ type: "term", data: { field: "tags" } }] } } } } });
      const answer = await next();
      if (answer.type !== 3) throw new Error(`the search worker failed on ${JSON.stringify(input)}`);
      locations.push(...answer.data.items.map((item) => data.items[item.id].location));
      page = answer.data.pagination && answer.data.pagination.next;
      if (page === undefined) break;
    }
    found[input] = locations;
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => { process.stderr.write(String(error) + "\n"); process.exit(1); });
