/**
 * Makes the demo school's data folder for the compiled server (run by the build, scripts/build.mjs):
 * the first start copies it instead of generating the demo.
 */
import { performance } from 'node:perf_hooks';
import { buildDemoSnapshot, currentBuild, SNAPSHOT_DIR } from './snapshot.js';

const build = currentBuild();
if (!build) {
  console.error('No build stamp: run the build (npm run build) first.');
  process.exit(1);
}
const started = performance.now();
const info = await buildDemoSnapshot(SNAPSHOT_DIR, build);
const s = info.summary;
console.log(
  `Demo school made for ${info.day} in ${Math.round((performance.now() - started) / 1000)} s: ${s.works} works, ${s.copies} copies, ${s.readers} readers, ${s.loans} loans`,
);
