#!/usr/bin/env node
// Node >= 24 runs the TypeScript sources directly (type stripping).
// The compile cache keeps the stripped and compiled modules on disk (in the
// system's temporary folder) so that later commands start in a third of the time.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('../src/cli/main.ts');
