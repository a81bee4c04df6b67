// What a fix builder is given and what it returns: shared by builders.ts and the builders in their own files.
import type { Facts } from '../../shared/facts';
import type { FixOperation, Verification } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';

export interface FixDraft {
  title: string;
  operations: FixOperation[];
  verification: Verification;
  notes: string[];
}

export interface BuildInput {
  facts: Facts;
  params: Record<string, JsonValue>;
  checkId: string;
  target: string | null;
  /** This dockhand's absolute path, for fixes that install something that runs it. */
  dockhand?: string | null;
}

export class FixUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixUnavailableError';
  }
}
