import type { Fact } from '../../shared/fact';
import type { AuditRulesFact } from '../../shared/facts/host-files';
import type { Source } from '../../shared/source';
import { type CollectContext, failure } from './context';
import { linuxOnly, isNotFound, readOptional, lines } from './host-text';

/** The paths a rule file watches: `-w PATH` and the syscall form `-a ... -F path=PATH` / `-F dir=PATH`. */
export function parseAuditRules(text: string, file: string): AuditRulesFact['watches'] {
  const watches: AuditRulesFact['watches'] = [];
  lines(text).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      let watched: string | undefined;
      if (word === '-w') watched = words[i + 1];
      else if (word.startsWith('-w/')) watched = word.slice(2);
      else if (word === '-F') {
        const m = /^(path|dir)=(.+)$/.exec(words[i + 1] ?? '');
        if (m) watched = m[2];
      }
      if (watched) watches.push({ path: watched, file, line: index + 1 });
    }
  });
  return watches;
}

export async function collectAuditRules(ctx: CollectContext): Promise<Fact<AuditRulesFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'auditd rules');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  const value: AuditRulesFact = { files: [], watches: [] };
  try {
    let ruleFiles = ['/etc/audit/audit.rules'];
    try {
      ruleFiles.push(
        ...(await host.readDir('/etc/audit/rules.d')).filter((f) => f.endsWith('.rules')).map((f) => `/etc/audit/rules.d/${f}`),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    ruleFiles = [...new Set(ruleFiles)];
    for (const file of ruleFiles) {
      const text = await readOptional(host, file);
      if (text === null) continue;
      const shown = host.displayPath(file);
      sources.push({ kind: 'file', path: shown });
      value.files.push(shown);
      value.watches.push(...parseAuditRules(text, shown));
    }
    return { ok: true, value, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
