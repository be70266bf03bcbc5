// `npm start`: the compiled server, run by plain node. The install built it (npm ci runs the build);
// what a developer changed since is built first, so that a start never runs stale code.
import { build } from './build.mjs';

build(['server', 'web']);
await import('../dist/main.js');
