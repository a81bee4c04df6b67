import type { Fact } from '../../shared/fact';
import type { AccountsFact, AuditRulesFact, ClientConfigFact, FileStatFact, ProcessEnvFact, SubIdsFact } from '../../shared/facts/host-files';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

// TEMPORARY (this session): the area's collectors are being written; until then the facts say so.
export async function collectFiles(_ctx: CollectContext): Promise<Fact<FileStatFact[]>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectAccounts(_ctx: CollectContext): Promise<Fact<AccountsFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectSubIds(_ctx: CollectContext): Promise<Fact<SubIdsFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectClientConfig(_ctx: CollectContext): Promise<Fact<ClientConfigFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectProcessEnv(_ctx: CollectContext): Promise<Fact<ProcessEnvFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectAuditRules(_ctx: CollectContext): Promise<Fact<AuditRulesFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}
