#!/usr/bin/env node
'use strict';
// Entry point for `npx puente` and `npm start`. The TypeScript is compiled to dist/ by `npm install` (the "prepare" script).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('puente: the compiled program is missing (dist/cli.js). Run "npm install" (or "npm run build") in the project folder.\n');
  process.exit(1);
}
require(cli).main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; });
