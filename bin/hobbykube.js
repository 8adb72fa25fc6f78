#!/usr/bin/env node
// Launcher only: everything lives in the bundled CLI (built by `npm install` / `npm run build`).
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('hobbykube: the build is missing; run `npm install` (or `npm run build`) in the hobbykube folder first.\n');
    process.exit(1);
  }
  throw error;
});
