#!/usr/bin/env node
// The command-line twin of the extension; the bundle is built by `npm run build` (run by `npm ci` through `prepare`).
require('../dist/cli.js');
