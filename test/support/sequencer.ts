import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the longest test files first, so that no worker sits idle at the end of the run while
 * another finishes the isolation sweep. The durations are measured figures kept in
 * test/support/test-durations.json (seconds, on two busy cores); a file not listed counts as short.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const known = JSON.parse(fs.readFileSync(path.join(root, 'test/support/test-durations.json'), 'utf8')) as Record<string, number>;
    const weight = (f: TestSpecification) => known[path.relative(root, f.moduleId).split(path.sep).join('/')] ?? 0;
    return [...files].sort((a, b) => weight(b) - weight(a) || a.moduleId.localeCompare(b.moduleId));
  }
}
