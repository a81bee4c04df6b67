import { type FormEvent, useEffect, useState } from 'react';
import type { Settings, Theme } from '../../../shared/api';
import { useApp, useStore } from '../state/hooks';

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

interface Draft {
  host: string;
  context: string;
  theme: Theme;
  internalDomains: string;
  trustedUsers: string;
  server: boolean;
  timeoutSeconds: string;
}

const toDraft = (s: Settings): Draft => ({
  host: s.endpoint.host ?? '',
  context: s.endpoint.context ?? '',
  theme: s.theme,
  internalDomains: s.internalDomains.join('\n'),
  trustedUsers: s.trustedUsers.join('\n'),
  server: s.server,
  timeoutSeconds: String(s.timeoutMs / 1000),
});

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsScreen() {
  const store = useStore();
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  const [draft, setDraft] = useState<Draft | null>(settings ? toDraft(settings) : null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (settings && !draft) setDraft(toDraft(settings));
  }, [settings, draft]);

  if (!draft) return <p className="empty">Settings could not be loaded.</p>;
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const endpointChanged =
      settings !== null &&
      ((settings.endpoint.host ?? '') !== draft.host.trim() || (settings.endpoint.context ?? '') !== draft.context.trim());
    const error = await store.saveSettings({
      endpoint: { host: draft.host.trim() || null, context: draft.context.trim() || null },
      theme: draft.theme,
      internalDomains: lines(draft.internalDomains),
      trustedUsers: lines(draft.trustedUsers),
      server: draft.server,
      timeoutMs: Math.round(Number(draft.timeoutSeconds) * 1000),
    });
    setSaving(false);
    setMessage(
      error
        ? { kind: 'error', text: `Not saved: ${error}` }
        : { kind: 'ok', text: endpointChanged ? 'Saved. Re-run the audit to check the new endpoint.' : 'Saved.' },
    );
  };

  const override = info?.endpointOverride;
  return (
    <div className="screen settings">
      <h1>Settings</h1>
      <form className="card settings-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <fieldset>
          <legend>Docker endpoint</legend>
          {override && (
            <p className="notice">
              This session audits <code>{override.host ?? `context ${override.context}`}</code>, the endpoint it was started with; the
              endpoint saved here applies when Dockhand is started without one.
            </p>
          )}
          <div className="field">
            <label htmlFor="endpoint-host">Host</label>
            <input
              id="endpoint-host"
              type="text"
              value={draft.host}
              placeholder="unix:///var/run/docker.sock"
              onChange={(e) => update({ host: e.target.value })}
              aria-describedby="endpoint-help"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor="endpoint-context">Docker context</label>
            <input
              id="endpoint-context"
              type="text"
              value={draft.context}
              placeholder="default"
              onChange={(e) => update({ context: e.target.value })}
              spellCheck={false}
            />
          </div>
          <p id="endpoint-help" className="help">
            Leave both empty to choose like the docker CLI: DOCKER_HOST, then the current context, then the default socket. Accepts unix://,
            tcp://, ssh:// and npipe://.
          </p>
        </fieldset>

        <fieldset>
          <legend>Appearance</legend>
          <div className="radio-row">
            {THEMES.map((t) => (
              <label key={t.value} className="radio">
                <input
                  type="radio"
                  name="theme"
                  value={t.value}
                  checked={draft.theme === t.value}
                  onChange={() => update({ theme: t.value })}
                />
                {t.label}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>What the checks should expect</legend>
          <div className="field">
            <label htmlFor="internal-domains">Internal domains</label>
            <textarea
              id="internal-domains"
              rows={3}
              value={draft.internalDomains}
              onChange={(e) => update({ internalDomains: e.target.value })}
              aria-describedby="domains-help"
              spellCheck={false}
            />
            <p id="domains-help" className="help">
              One per line: domains NO_PROXY must cover so that containers reach them directly (e.g. corp.example).
            </p>
          </div>
          <div className="field">
            <label htmlFor="trusted-users">Trusted users</label>
            <textarea
              id="trusted-users"
              rows={3}
              value={draft.trustedUsers}
              onChange={(e) => update({ trustedUsers: e.target.value })}
              aria-describedby="users-help"
              spellCheck={false}
            />
            <p id="users-help" className="help">
              One per line: users allowed in the docker group (membership is root-equivalent).
            </p>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={draft.server} onChange={(e) => update({ server: e.target.checked })} />
            Judge this host as a server (audit rules, scheduled cleanup)
          </label>
          <div className="field narrow">
            <label htmlFor="timeout">Time limit per collector (seconds)</label>
            <input
              id="timeout"
              type="number"
              min={1}
              max={120}
              step={1}
              value={draft.timeoutSeconds}
              onChange={(e) => update({ timeoutSeconds: e.target.value })}
            />
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          {message && (
            <p className={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
              {message.text}
            </p>
          )}
        </div>
      </form>

      {info && (
        <section className="card about" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          <dl className="facts-list">
            <div>
              <dt>Version</dt>
              <dd>Dockhand {info.version}</dd>
            </div>
            <div>
              <dt>Running as</dt>
              <dd>
                {info.transport === 'serve' ? 'dockhand serve (browser)' : 'desktop app'} · {info.host.user}@{info.host.hostname} ·{' '}
                {info.host.platform}/{info.host.arch}
              </dd>
            </div>
            <div>
              <dt>Settings file</dt>
              <dd>
                <code>{info.paths.settingsFile}</code>
              </dd>
            </div>
          </dl>
        </section>
      )}
    </div>
  );
}
