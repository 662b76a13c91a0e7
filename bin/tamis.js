#!/usr/bin/env node
// Node >= 24 runs the TypeScript sources directly (type stripping).
// The compile cache keeps the stripped and compiled modules on disk (in the
// system's temporary folder) so that later commands start in a third of the
// time; the environment variable passes it on to the parser threads.
import { enableCompileCache } from 'node:module';

const cache = enableCompileCache?.();
if (cache?.directory && !process.env.NODE_COMPILE_CACHE && !process.env.NODE_DISABLE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
await import('../src/cli/main.ts');
