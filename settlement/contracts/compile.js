#!/usr/bin/env node
// Compiles the contracts with the pinned solc-js and writes <Name>.abi and <Name>.bin, or, with --check,
// fails when the committed files differ from what the sources compile to.
// Usage: node compile.js <output dir> [--check]   (TRIBUTARY_TOOLS points at tools/node_modules)
'use strict';
const fs = require('fs');
const path = require('path');

const tools = process.env.TRIBUTARY_TOOLS || path.join(__dirname, '..', '..', 'tools', 'node_modules');
const solc = require(path.join(tools, 'solc'));
const CONTRACTS = ['RewardToken', 'RewardDistributor', 'DatanetRegistry'];

const args = process.argv.slice(2);
const check = args.includes('--check');
const outputDir = args.find((a) => !a.startsWith('--'));
if (!outputDir) {
  console.error('usage: node compile.js <output dir> [--check]');
  process.exit(2);
}

const sources = {};
for (const name of CONTRACTS) {
  sources[name + '.sol'] = { content: fs.readFileSync(path.join(__dirname, name + '.sol'), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

let stale = [];
fs.mkdirSync(outputDir, { recursive: true });
for (const name of CONTRACTS) {
  const compiled = output.contracts[name + '.sol'][name];
  const files = {
    [name + '.abi']: JSON.stringify(compiled.abi) + '\n',
    [name + '.bin']: compiled.evm.bytecode.object + '\n',
  };
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(outputDir, file);
    if (check) {
      const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
      if (committed !== content) stale.push(target);
    } else {
      fs.writeFileSync(target, content);
    }
  }
}
if (stale.length > 0) {
  console.error('compiled contracts differ from the committed files (run settlement/contracts/build.sh): ' + stale.join(', '));
  process.exit(1);
}
console.error((check ? 'checked ' : 'wrote ') + CONTRACTS.length + ' contracts with solc ' + solc.version());
