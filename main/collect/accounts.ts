import type { Fact } from '../../shared/fact';
import type { AccountsFact } from '../../shared/facts/host-files';
import type { Source } from '../../shared/source';
import { type CollectContext, failure } from './context';
import { parseGroup, parsePasswd } from '../util/account-files';
import { MAX_ACCOUNT_BYTES, linuxOnly, readText } from './host-text';

export async function collectAccounts(ctx: CollectContext): Promise<Fact<AccountsFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'accounts (/etc/passwd, /etc/group)');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  try {
    const passwd = await readText(host, '/etc/passwd', MAX_ACCOUNT_BYTES);
    sources.push({ kind: 'file', path: host.displayPath('/etc/passwd') });
    const group = await readText(host, '/etc/group', MAX_ACCOUNT_BYTES);
    sources.push({ kind: 'file', path: host.displayPath('/etc/group') });
    return { ok: true, value: { users: parsePasswd(passwd), groups: parseGroup(group) }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
