'use strict';
// Behaves as much of native solc's command line as forge uses: --version, and --standard-json reading the
// input from stdin, with imports resolved from the file system (relative to the working directory).
const fs = require('fs');
const path = require('path');
const [tools, ...args] = process.argv.slice(2);
const solc = require(path.join(tools, 'solc'));
if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + solc.version() + '\n');
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  console.error('only --version and --standard-json are supported, got: ' + args.join(' '));
  process.exit(2);
}
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === '--base-path' || args[i] === '--include-path') && args[i + 1]) roots.push(path.resolve(args[i + 1]));
}
function findImports(file) {
  for (const root of roots) {
    const candidate = path.resolve(root, file);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: 'file not found: ' + file };
}
const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
