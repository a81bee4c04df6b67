import { ArrowLeft, ExternalLink, Wrench } from 'lucide-react';
import { type ComponentProps, forwardRef, useState } from 'react';
import { SeverityBadge, StatusBadge } from '../components/Badges';
import { SourceLabel } from '../components/SourceLabel';
import { Breakable } from '../components/Breakable';
import { Prose } from '../components/Prose';
import { fixParams } from '../../../shared/fix-params';
import { type IndexedFinding, isFixable } from '../lib/findings-model';
import { formatValue } from '../lib/format';
import { CATEGORY_LABEL } from '../lib/labels';
import { FixDialog } from './FixDialog';

interface FindingDetailProps {
  item: IndexedFinding | null;
  onBack?: () => void;
}

/** Only https links leave the app (the desktop shell opens them in the browser). */
const safeUrl = (url: string | undefined) => (url && /^https:\/\//.test(url) ? url : undefined);

/** One finding in full: what is wrong, why it matters, the evidence and where each value came from, and the fix. */
export const FindingDetail = forwardRef<HTMLHeadingElement, FindingDetailProps>(function FindingDetail({ item, onBack }, headingRef) {
  const [fixing, setFixing] = useState<Omit<ComponentProps<typeof FixDialog>, 'onClose'> | null>(null);
  if (!item) {
    return (
      <section className="detail detail-empty" aria-label="Finding detail">
        <p className="muted">Select a finding to see its evidence, why it matters and how to fix it.</p>
      </section>
    );
  }
  const { finding, check } = item;
  const r = finding.result;
  const cis = check.references.find((ref) => ref.title.startsWith('CIS'));
  const otherRefs = check.references.filter((ref) => ref !== cis);
  const fix = r.fix;
  const paramLabel = new Map((fix ? fixParams(fix.id) : []).map((p) => [p.key, p.label]));
  return (
    <section className="detail" aria-labelledby="detail-title" data-testid="finding-detail">
      {onBack && (
        <button type="button" className="button back-button" onClick={onBack}>
          <ArrowLeft aria-hidden="true" /> Back to the list
        </button>
      )}
      <div className="detail-head">
        <div className="detail-badges">
          <StatusBadge status={r.status} />
          <SeverityBadge severity={finding.severity} />
          <span className="chip">{CATEGORY_LABEL[check.category]}</span>
          {check.cis && <span className="chip">CIS {check.cis}</span>}
        </div>
        {fix && isFixable(finding) && (
          <button
            type="button"
            className="button primary"
            onClick={() => setFixing({ checkId: finding.checkId, target: r.target, title: check.title, fix })}
            aria-describedby="fix-note"
            data-testid="detail-fix"
          >
            <Wrench aria-hidden="true" /> Fix…
          </button>
        )}
      </div>
      <h2 id="detail-title" ref={headingRef} tabIndex={-1}>
        {check.title}
      </h2>
      <p className="detail-id">
        <code>{finding.id}</code>
        {r.target && (
          <span>
            {' '}
            · target <strong>{r.target}</strong>
          </span>
        )}
      </p>
      <p className={`detail-message message-${r.status}`}>
        <Prose text={r.message} />
      </p>
      {r.reason && (
        <p className="detail-reason">
          <strong>{r.status === 'skipped' ? 'Skipped: ' : 'Why: '}</strong>
          <Prose text={r.reason} />
        </p>
      )}

      {check.rationale && (
        <section aria-labelledby="rationale-title">
          <h3 id="rationale-title">Why it matters</h3>
          <p>
            <Prose text={check.rationale} />
          </p>
        </section>
      )}

      <section aria-labelledby="evidence-title">
        <h3 id="evidence-title">Evidence</h3>
        {r.evidence.length === 0 ? (
          <p className="muted">No evidence recorded for this result.</p>
        ) : (
          <table className="table evidence-table">
            <caption className="visually-hidden">Evidence and where each value came from</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {r.evidence.map((e, i) => (
                <tr key={`${e.label}-${i}`}>
                  <th scope="row">{e.label}</th>
                  <td>
                    <pre className="value">
                      <Breakable text={formatValue(e.value)} />
                    </pre>
                  </td>
                  <td>
                    <SourceLabel source={e.source} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {(check.remediation || r.fix) && (
        <section aria-labelledby="fix-title">
          <h3 id="fix-title">How to fix</h3>
          {check.remediation && (
            <p>
              <Prose text={check.remediation} />
            </p>
          )}
          {r.fix && (
            <div className="fix-box">
              <p id="fix-note">
                <Wrench aria-hidden="true" className="inline-icon" />{' '}
                {isFixable(finding)
                  ? `Dockhand can make this change for you${Object.keys(r.fix.params).length > 0 ? ', with these values' : ''}. Fix… shows exactly what changes first; nothing is changed until you apply.`
                  : 'Dockhand can make this change when the check fails.'}
              </p>
              {Object.keys(r.fix.params).length > 0 && (
                <table className="table fix-params">
                  <caption className="visually-hidden">Fix parameters</caption>
                  <thead>
                    <tr>
                      <th scope="col">Setting</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(r.fix.params).map(([k, v]) => (
                      <tr key={k}>
                        <th scope="row">{paramLabel.get(k) ?? k}</th>
                        <td>
                          <pre className="value">{formatValue(v)}</pre>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </section>
      )}

      {check.references.length > 0 && (
        <section aria-labelledby="refs-title">
          <h3 id="refs-title">References</h3>
          <ul className="refs">
            {[...(cis ? [cis] : []), ...otherRefs].map((ref) => {
              const url = safeUrl(ref.url);
              const text = `${ref.title}${ref.id ? ` ${ref.id}` : ''}`;
              return (
                <li key={`${ref.title}-${ref.id ?? ''}-${ref.url ?? ''}`}>
                  {url ? (
                    <a href={url} target="_blank" rel="noopener noreferrer">
                      {text} <ExternalLink aria-hidden="true" className="inline-icon" />
                      <span className="visually-hidden"> (opens in your browser)</span>
                    </a>
                  ) : (
                    text
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {fixing && (
        <FixDialog
          {...fixing}
          onClose={() => {
            setFixing(null);
            // A fixed finding has no Fix button any more: focus goes back to the finding itself.
            requestAnimationFrame(() => document.getElementById('detail-title')?.focus());
          }}
        />
      )}
    </section>
  );
});
