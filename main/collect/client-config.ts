import path from 'node:path';
import { type Node } from 'jsonc-parser';
import type { Fact } from '../../shared/fact';
import type { ClientConfigFact } from '../../shared/facts/host-files';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { dockerConfigDir } from '../discover/endpoint';
import { HostError } from '../host/host';
import { parseJsonDocument } from '../preflight/json-document';
import { type CollectContext, failure } from './context';
import { readOptional } from './host-text';

function propertyOf(node: Node | undefined, key: string): Node | undefined {
  return node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
}

function nonEmptyString(node: Node | undefined): boolean {
  return node?.type === 'string' && node.value !== '';
}

function stringRecord(node: Node | undefined, mask: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (node?.type !== 'object') return out;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children as [Node, Node];
    if (v?.type === 'string') out[String(k.value)] = mask ? maskSecretsInText(String(v.value)) : String(v.value);
  }
  return out;
}

/** Reads config.json keeping positions, and keeps only what checks need: never a credential, only whether one is there. */
function parseClientConfig(text: string, file: string): Omit<ClientConfigFact, 'path' | 'exists'> {
  const doc = parseJsonDocument(text);
  if (!doc.ok) {
    throw new HostError('malformed', `${file}:${doc.error.position.line}:${doc.error.position.column}: ${doc.error.message}`, file);
  }
  const root = doc.root;
  const auths: ClientConfigFact['auths'] = [];
  const authsNode = propertyOf(root, 'auths');
  if (authsNode?.type === 'object') {
    for (const prop of authsNode.children ?? []) {
      const [k, v] = prop.children as [Node, Node];
      auths.push({
        registry: String(k.value),
        // A hand-written "password" is as much a plaintext credential as the CLI's base64 "auth".
        hasInlineAuth: nonEmptyString(propertyOf(v, 'auth')) || nonEmptyString(propertyOf(v, 'password')),
        hasIdentityToken: nonEmptyString(propertyOf(v, 'identitytoken')),
        line: doc.positionAt(k.offset).line,
      });
    }
  }
  const credsStore = propertyOf(root, 'credsStore');
  const current = propertyOf(root, 'currentContext');
  const proxies: ClientConfigFact['proxies'] = {};
  const proxiesNode = propertyOf(root, 'proxies');
  if (proxiesNode?.type === 'object') {
    for (const prop of proxiesNode.children ?? []) {
      const [k, v] = prop.children as [Node, Node];
      proxies[String(k.value)] = stringRecord(v, true);
    }
  }
  return {
    auths,
    credsStore: nonEmptyString(credsStore) ? String(credsStore!.value) : null,
    credHelpers: stringRecord(propertyOf(root, 'credHelpers'), false),
    proxies,
    currentContext: nonEmptyString(current) ? String(current!.value) : null,
  };
}

export async function collectClientConfig(ctx: CollectContext): Promise<Fact<ClientConfigFact>> {
  const { host } = ctx;
  const file = path.join(dockerConfigDir(host), 'config.json');
  const shown = host.displayPath(file);
  const sources: Source[] = [{ kind: 'file', path: shown }];
  try {
    const text = await readOptional(host, file);
    if (text === null)
      return {
        ok: true,
        value: { path: shown, exists: false, auths: [], credsStore: null, credHelpers: {}, proxies: {}, currentContext: null },
        sources,
      };
    return { ok: true, value: { path: shown, exists: true, ...parseClientConfig(text, shown) }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
