import { AlertTriangle, RefreshCw, Settings as SettingsIcon, X } from 'lucide-react';
import type { Guidance } from '../lib/guidance';
import { Prose } from './Prose';

interface BannerProps {
  guidance: Guidance;
  /** Its heading's id, when another banner of the same kind may be on the screen. */
  id?: string;
  onRerun?: () => void;
  rerunning?: boolean;
  onSettings?: () => void;
  onDismiss?: () => void;
}

/** A problem in words, what to do about it, and the raw detail: never a blank screen. */
export function Banner({ guidance, id = `banner-${guidance.kind}`, onRerun, rerunning, onSettings, onDismiss }: BannerProps) {
  return (
    <section className={`banner banner-${guidance.kind}`} role="alert" aria-labelledby={id}>
      <AlertTriangle className="banner-icon" aria-hidden="true" />
      <div className="banner-body">
        <h2 id={id}>{guidance.title}</h2>
        <ol className="banner-steps">
          {guidance.steps.map((step) => (
            <li key={step}>
              <Prose text={step} />
            </li>
          ))}
        </ol>
        <details>
          <summary>Details</summary>
          <code className="banner-detail">{guidance.detail}</code>
        </details>
      </div>
      <div className="banner-actions">
        {onRerun && (
          <button type="button" className="button primary" onClick={onRerun} disabled={rerunning}>
            <RefreshCw aria-hidden="true" className={rerunning ? 'spin' : undefined} /> {rerunning ? 'Auditing…' : 'Re-run audit'}
          </button>
        )}
        {onSettings && (
          <button type="button" className="button" onClick={onSettings}>
            <SettingsIcon aria-hidden="true" /> Settings
          </button>
        )}
        {onDismiss && (
          <button type="button" className="button icon-only" onClick={onDismiss} aria-label="Dismiss">
            <X aria-hidden="true" />
          </button>
        )}
      </div>
    </section>
  );
}
