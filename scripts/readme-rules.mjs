// Rewrites the README's checks table from the rule registry (test/unit/registry.test.ts fails while they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withReadmeRulesTable } = require('../out/server/src/engine/rules/registry.js');
const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withReadmeRulesTable(readFileSync(path, 'utf8')));
