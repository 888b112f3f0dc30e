#!/usr/bin/env node
// Parse every given Terraform file with HashiCorp's HCL parser (@cdktf/hcl2json) and format it
// with hclwrite (@cdktf/hcl-tools). One Node process for a whole tree: the WASM modules load once.
// Prints one JSON object, keys sorted: {path: {json, parseError, formatted, isFormatted}}.
"use strict";

const fs = require("fs");
const { parse } = require("@cdktf/hcl2json");
const { format } = require("@cdktf/hcl-tools");

async function checkFile(path) {
  const text = fs.readFileSync(path, "utf8");
  const result = { json: null, parseError: null, formatted: null, isFormatted: false };
  try {
    result.json = await parse(path, text);
  } catch (error) {
    result.parseError = String(error && error.message ? error.message : error);
  }
  try {
    result.formatted = await format(text);
    result.isFormatted = result.formatted === text;
  } catch (error) {
    result.parseError = result.parseError || String(error);
  }
  return result;
}

async function main(paths) {
  const results = {};
  for (const path of [...paths].sort()) {
    results[path] = await checkFile(path);
  }
  // Exit only once stdout has drained: a pipe truncates output written just before exit, and
  // the Go WASM runtimes would otherwise keep the process alive.
  await new Promise((resolve) => process.stdout.write(JSON.stringify(results) + "\n", resolve));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`hcl_check: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  },
);
