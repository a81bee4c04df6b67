import { Cog, FileText, Globe, Server, Terminal, User, Variable } from 'lucide-react';
import { describeSource } from '../../../shared/describe-source';
import type { Source } from '../../../shared/source';
import { Breakable } from './Breakable';

const ICONS = { file: FileText, command: Terminal, api: Server, env: Variable, process: Cog, default: Globe, user: User } as const;
const KIND_LABEL = {
  file: 'File',
  command: 'Command',
  api: 'Engine API',
  env: 'Environment',
  process: 'Process',
  default: 'Default',
  user: 'Given by you',
} as const;

/** The part after the kind: what the user would type or open to check the value. */
function locator(source: Source): string {
  switch (source.kind) {
    case 'file':
      return describeSource(source);
    case 'command':
      return source.command;
    case 'api':
      return source.call;
    case 'env':
      return source.name;
    case 'process':
      return `pid ${source.pid}${source.detail ? ` (${source.detail})` : ''}`;
    case 'default':
    case 'user':
      return source.detail;
  }
}

/** Where a piece of evidence came from, as the user can go and check it: file:line, the command, the API call. */
export function SourceLabel({ source }: { source: Source }) {
  const Icon = ICONS[source.kind];
  return (
    <span className="source" title={describeSource(source)}>
      <span className="source-kind">
        <Icon aria-hidden="true" className="source-icon" />
        {KIND_LABEL[source.kind]}
      </span>
      <code>
        <Breakable text={locator(source)} />
      </code>
    </span>
  );
}
