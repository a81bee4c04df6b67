import type { ApiErrorCode } from '../../shared/api';

/** An error a handler means the user to read: its code and message go into the envelope as they are. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}
