import type { Source } from './source';

/** One line a person can follow to the value: file:line, the command, the API call. */
export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'file':
      return source.line ? `${source.path}:${source.line}${source.column ? `:${source.column}` : ''}` : source.path;
    case 'command':
      return `command: ${source.command}`;
    case 'api':
      return `Engine API ${source.call}`;
    case 'env':
      return `environment variable ${source.name}`;
    case 'process':
      return `process ${source.pid}${source.detail ? ` (${source.detail})` : ''}`;
    case 'default':
      return `default: ${source.detail}`;
    case 'user':
      return `user: ${source.detail}`;
  }
}
