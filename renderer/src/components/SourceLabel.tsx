import { Cog, FileText, Globe, Server, Terminal, User, Variable } from 'lucide-react';
import { describeSource } from '../../../shared/describe-source';
import type { Source } from '../../../shared/source';

const ICONS = { file: FileText, command: Terminal, api: Server, env: Variable, process: Cog, default: Globe, user: User } as const;
const KIND_LABEL = { file: 'File', command: 'Command', api: 'Engine API', env: 'Environment', process: 'Process', default: 'Default', user: 'Given by you' } as const;

/** Where a piece of evidence came from, as the user can go and check it: file:line, the command, the API call. */
export function SourceLabel({ source }: { source: Source }) {
  const Icon = ICONS[source.kind];
  const text = describeSource(source).replace(/^(command|Engine API|environment variable|default|user): ?/, '');
  return (
    <span className="source" title={describeSource(source)}>
      <Icon aria-hidden="true" className="source-icon" />
      <span className="source-kind">{KIND_LABEL[source.kind]}</span>
      <code>{text}</code>
    </span>
  );
}
