// Bounds on what one evaluation may consume, so a runaway `while True:` or a 10**9-element list
// in user code ends with a clear diagnostic instead of hanging or exhausting the editor's memory.
import { BudgetExceeded } from './exceptions.ts';

export interface BudgetLimits {
  /** Statements executed plus calls made. */
  maxSteps: number;
  /** Total elements in Python containers and characters in strings created by user code. */
  maxElements: number;
  /** Nested Python calls (CPython's default recursion limit is 1000). */
  maxDepth: number;
}

export const defaultBudget: BudgetLimits = { maxSteps: 2_000_000, maxElements: 20_000_000, maxDepth: 200 };

export class Budget {
  steps = 0;
  elements = 0;
  depth = 0;
  constructor(readonly limits: BudgetLimits = defaultBudget) {}

  step(): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new BudgetExceeded('steps', `evaluation stopped after ${this.limits.maxSteps.toLocaleString('en-US')} steps (a loop that does not end, or too much work for the editor)`);
    }
  }

  /** Accounts for `n` new container elements (or string characters); returns `result`. */
  checkCount(n: number, result: number): number {
    if (!Number.isFinite(n) || this.elements + Math.max(0, n) > this.limits.maxElements) {
      // What was refused was never created: later statements keep the whole remaining budget
      // (`x = [0] * 10**9` must not make every later list fail).
      throw new BudgetExceeded('memory', `evaluation stopped: more than ${this.limits.maxElements.toLocaleString('en-US')} Python values created (memory budget)`);
    }
    this.elements += Math.max(0, n);
    return result;
  }

  checkArray<T>(items: T[]): T[] { this.checkCount(items.length, 0); return items; }
  checkString(s: string): string { this.checkCount(s.length, 0); return s; }

  enter(): void {
    if (++this.depth > this.limits.maxDepth) {
      // The refused call never runs (no matching leave()); the frames being unwound leave() themselves.
      this.depth--;
      throw new BudgetExceeded('recursion', 'maximum recursion depth exceeded');
    }
  }
  leave(): void { this.depth--; }
}
