import { Search } from 'lucide-react';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { SEVERITIES, STATUSES } from '../../../shared/constants';
import type { Category, Severity, Status } from '../../../shared/finding';
import { Banner } from '../components/Banner';
import { ToggleChips } from '../components/ToggleChips';
import { facet, type FindingFilter, groupRows, type IndexedFinding, indexFindings } from '../lib/findings-model';
import { groupDigits } from '../lib/format';
import { engineGuidance } from '../lib/guidance';
import { CATEGORY_LABEL, PROBLEM_STATUSES, SEVERITY_LABEL, STATUS_LABEL, STATUS_ORDER } from '../lib/labels';
import { navigate, useApp, useStore } from '../state/hooks';
import { FindingDetail } from './FindingDetail';
import { FindingList } from './FindingList';

const isSeverity = (v: string | null): v is Severity => v !== null && (SEVERITIES as readonly string[]).includes(v);
const isStatus = (v: string): v is Status => (STATUSES as readonly string[]).includes(v);

/** The filter a link asks for (?severity=high&status=fail,warn), problems only by default, and the finding it focuses. */
function filterFromParams(
  params: URLSearchParams,
  index: readonly IndexedFinding[],
): { base: Omit<FindingFilter, 'query' | 'statuses'> & { statuses: Set<Status> }; focus: string | null } {
  const severity = params.get('severity');
  const statuses = (params.get('status') ?? '').split(',').filter(isStatus);
  const base = {
    severities: new Set(isSeverity(severity) ? [severity] : SEVERITIES),
    statuses: new Set(statuses.length ? statuses : PROBLEM_STATUSES),
    categories: new Set<Category>(),
  };
  const focus = params.get('focus');
  // The focused finding is shown whatever its status.
  const focused = focus ? index.find((i) => i.finding.id === focus) : undefined;
  if (focused) base.statuses.add(focused.finding.result.status);
  return { base, focus };
}

function toggle<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** Below this width the list and the detail take turns instead of sitting side by side (200% zoom, small windows). */
const NARROW = '(max-width: 900px)';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const mq = window.matchMedia(NARROW);
    const onChange = () => setNarrow(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return narrow;
}

export function Findings({ params }: { params: URLSearchParams }) {
  const store = useStore();
  const report = useApp((s) => s.report);
  const running = useApp((s) => s.audit.running);
  const index = useMemo(() => (report ? indexFindings(report) : []), [report]);
  const paramKey = params.toString();
  const [base, setBase] = useState(() => filterFromParams(params, index).base);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [collapsed, setCollapsed] = useState<ReadonlySet<Category>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(params.get('focus'));
  const [activeIndex, setActiveIndex] = useState(0);
  const [detailOpen, setDetailOpen] = useState(() => params.get('focus') !== null);
  const narrow = useNarrow();
  const searchRef = useRef<HTMLInputElement>(null);
  const listWrapRef = useRef<HTMLDivElement>(null);
  const detailHeadingRef = useRef<HTMLHeadingElement>(null);

  // A new link (from the overview) resets the filters to what it asks for. The first render already did (the initial
  // state): doing it again in an effect filtered and grouped every finding twice before the first paint.
  const appliedKey = useRef(paramKey);
  useEffect(() => {
    if (appliedKey.current === paramKey) return;
    appliedKey.current = paramKey;
    const { base: next, focus } = filterFromParams(new URLSearchParams(paramKey), index);
    if (focus) {
      setSelectedId(focus);
      setDetailOpen(true);
    }
    setBase(next);
    // Only when the link changes: a new report under the same link keeps the user's own filter changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- index is read, not watched (see above).
  }, [paramKey]);

  const filter: FindingFilter = useMemo(() => ({ ...base, query: deferredQuery }), [base, deferredQuery]);
  // The findings shown, and on each chip what it would show with the other filters as they are.
  const {
    filtered,
    byStatus: statusCounts,
    bySeverity: severityCounts,
    byCategory: categoryCounts,
  } = useMemo(() => facet(index, filter), [index, filter]);
  // A new search opens the groups folded earlier: a hit is never hidden behind a header (they can be folded again).
  const searched = deferredQuery.trim();
  useEffect(() => {
    if (searched !== '') setCollapsed((c) => (c.size === 0 ? c : new Set()));
  }, [searched]);
  const rows = useMemo(() => groupRows(filtered, collapsed), [filtered, collapsed]);
  const selected = useMemo(() => index.find((i) => i.finding.id === selectedId) ?? null, [index, selectedId]);
  useEffect(() => {
    if (index.length > 0 && selectedId !== null && selected === null) setSelectedId(null);
  }, [index, selected, selectedId]);
  // A search or a filter the user changes closes a finding it excludes; a new report does not (a fix that made the
  // open finding pass leaves it open, with its dialog and the focus the dialog returns to it).
  const filteredNow = useRef(filtered);
  filteredNow.current = filtered;
  const filterBefore = useRef(filter);
  useEffect(() => {
    if (filterBefore.current === filter) return;
    filterBefore.current = filter;
    setSelectedId((id) => (id !== null && !filteredNow.current.some((i) => i.finding.id === id) ? null : id));
  }, [filter]);

  // Side by side, the detail pane is never empty when there is something to show: the first finding is selected.
  useEffect(() => {
    if (narrow || selectedId !== null) return;
    const first = rows.find((r) => r.kind === 'finding');
    if (first?.kind === 'finding') setSelectedId(first.item.finding.id);
  }, [narrow, rows, selectedId]);

  // Keep the keyboard cursor on the selected finding when the rows change under it (filtering, a new report).
  useEffect(() => {
    const at = selectedId ? rows.findIndex((r) => r.kind === 'finding' && r.item.finding.id === selectedId) : -1;
    setActiveIndex((current) => (at >= 0 ? at : Math.min(current, Math.max(0, rows.length - 1))));
  }, [rows, selectedId]);

  const activate = useCallback(
    (i: number) => {
      setActiveIndex(i);
      const row = rows[i];
      if (row?.kind === 'finding') setSelectedId(row.item.finding.id);
    },
    [rows],
  );
  const open = useCallback(
    (i: number) => {
      activate(i);
      setDetailOpen(true);
      if (narrow) requestAnimationFrame(() => detailHeadingRef.current?.focus());
    },
    [activate, narrow],
  );
  const onToggle = useCallback((category: Category) => setCollapsed((c) => toggle(c, category)), []);

  // "/" jumps to the search box, as in most list UIs; Escape returns from the detail on narrow screens.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (e.key === '/' && !typing) {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && narrow && detailOpen) {
        setDetailOpen(false);
        requestAnimationFrame(() => listWrapRef.current?.querySelector<HTMLElement>('[role="tree"]')?.focus());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [narrow, detailOpen]);

  if (!report) {
    return (
      <div className="screen">
        <h1>Findings</h1>
        <p className="empty">{running ? 'The first audit is running; findings appear when it ends.' : 'No audit yet.'}</p>
      </div>
    );
  }
  const guidance = engineGuidance(report);
  const showDetailOnly = narrow && detailOpen && selected;
  const categories = (Object.keys(CATEGORY_LABEL) as Category[]).filter((c) => categoryCounts.has(c) || base.categories.has(c));
  return (
    <div className="screen findings">
      <h1 className="visually-hidden">Findings</h1>
      {guidance && (
        <Banner guidance={guidance} onRerun={() => void store.runAudit()} rerunning={running} onSettings={() => navigate('settings')} />
      )}
      <div className="filters" role="search" aria-label="Filter findings">
        <div className="search-box">
          <Search aria-hidden="true" />
          <label htmlFor="finding-search" className="visually-hidden">
            Search findings
          </label>
          <input
            id="finding-search"
            ref={searchRef}
            type="search"
            placeholder="Search title, message, container, check id, CIS id…  ( / )"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-keyshortcuts="/"
          />
        </div>
        <ToggleChips
          label="Status"
          values={STATUS_ORDER}
          labels={STATUS_LABEL}
          selected={base.statuses}
          counts={statusCounts}
          onToggle={(v) => setBase((b) => ({ ...b, statuses: toggle(b.statuses, v) }))}
        />
        <ToggleChips
          label="Severity"
          values={SEVERITIES}
          labels={SEVERITY_LABEL}
          selected={base.severities}
          counts={severityCounts}
          onToggle={(v) => setBase((b) => ({ ...b, severities: toggle(b.severities, v) }))}
        />
        <div className="select-box">
          <label htmlFor="category-filter">Category</label>
          <select
            id="category-filter"
            value={[...base.categories][0] ?? ''}
            onChange={(e) => setBase((b) => ({ ...b, categories: new Set(e.target.value ? [e.target.value as Category] : []) }))}
          >
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABEL[c]} ({groupDigits(categoryCounts.get(c) ?? 0)})
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="result-count muted" role="status" aria-live="polite">
        Showing {groupDigits(filtered.length)} of {groupDigits(index.length)} findings
        {rows.some((r) => r.kind === 'group') && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
            {' · '}
            <button
              type="button"
              className="link-button"
              onClick={() => setCollapsed(new Set(rows.filter((r) => r.kind === 'group').map((r) => r.category)))}
            >
              Collapse all
            </button>
          </>
        )}
      </p>
      <div className={`findings-body${showDetailOnly ? ' detail-only' : ''}`}>
        <div className="list-pane" ref={listWrapRef} hidden={Boolean(showDetailOnly)}>
          {rows.length === 0 ? (
            <div className="empty">
              <p>No finding matches these filters.</p>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setQuery('');
                  setBase({ severities: new Set(SEVERITIES), statuses: new Set(STATUSES), categories: new Set() });
                }}
              >
                Show everything
              </button>
            </div>
          ) : (
            <FindingList
              rows={rows}
              activeIndex={activeIndex}
              selectedId={selectedId}
              onActivate={activate}
              onOpen={open}
              onToggle={onToggle}
            />
          )}
        </div>
        {(!narrow || showDetailOnly) && (
          <div className="detail-pane">
            <FindingDetail
              ref={detailHeadingRef}
              item={selected}
              onBack={
                narrow
                  ? () => {
                      setDetailOpen(false);
                      requestAnimationFrame(() => listWrapRef.current?.querySelector<HTMLElement>('[role="tree"]')?.focus());
                    }
                  : undefined
              }
            />
          </div>
        )}
      </div>
    </div>
  );
}
