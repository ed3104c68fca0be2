// Starts the two isolation tests first, so they occupy both workers at the same moment: each waits for the other's
// write, which would otherwise depend on how long the other worker's current file takes.
import { BaseSequencer, type TestSpecification } from "vitest/node";

const FIRST = /[\\/]isolation-[ab]\.test\.ts$/;

export class IsolationFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = sorted.filter((f) => FIRST.test(f.moduleId));
    return [...first, ...sorted.filter((f) => !FIRST.test(f.moduleId))];
  }
}
