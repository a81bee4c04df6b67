import { HardDrive, History as HistoryIcon, LayoutDashboard, ListChecks, RefreshCw, Settings as SettingsIcon } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { type Screen, SCREENS } from '../../shared/screens';
import { Banner } from './components/Banner';
import { RelativeTime } from './components/RelativeTime';
import { hrefFor } from './lib/route';
import { navigate, useApp, useRoute, useStore, useTheme } from './state/hooks';
import { DiskScreen } from './screens/Disk';
import { Findings } from './screens/Findings';
import { HistoryScreen } from './screens/History';
import { Overview } from './screens/Overview';
import { SettingsScreen } from './screens/Settings';
import { Logo } from './components/Logo';

/** Screens in the sidebar: each is a route, a sidebar entry and a screen component, nothing else to change here. */
const ICONS: Record<Screen, typeof LayoutDashboard> = {
  overview: LayoutDashboard,
  findings: ListChecks,
  history: HistoryIcon,
  disk: HardDrive,
  settings: SettingsIcon,
};
const NAV = SCREENS.map((s) => ({ ...s, Icon: ICONS[s.screen] }));
const TITLES = Object.fromEntries(SCREENS.map((s) => [s.screen, s.label])) as Record<Screen, string>;

function Header() {
  const store = useStore();
  const report = useApp((s) => s.report);
  const running = useApp((s) => s.audit.running);
  const info = useApp((s) => s.info);
  return (
    <header className="topbar">
      <div className="topbar-host">
        <span className="topbar-hostname">{report?.host.hostname ?? info?.host.hostname ?? 'Docker host'}</span>
        <span className="topbar-endpoint muted" title={report?.endpoint?.reason}>
          {report?.endpoint?.host ?? info?.endpointOverride?.host ?? 'endpoint chosen like the docker CLI'}
        </span>
      </div>
      <div className="topbar-actions">
        {report && (
          <span className="muted">
            Last audit <RelativeTime iso={report.generatedAt} />
          </span>
        )}
        <button
          type="button"
          className="button primary"
          onClick={() => void store.runAudit()}
          disabled={running}
          aria-keyshortcuts="Control+R"
        >
          <RefreshCw aria-hidden="true" className={running ? 'spin' : undefined} />
          {running ? 'Auditing…' : 'Re-run audit'}
        </button>
      </div>
    </header>
  );
}

export function App() {
  const store = useStore();
  const route = useRoute();
  const loaded = useApp((s) => s.loaded);
  const error = useApp((s) => s.error);
  const running = useApp((s) => s.audit.running);
  const connection = useApp((s) => s.connection);
  const theme = useApp((s) => s.settings?.theme);
  useTheme(theme);

  // A new screen starts at its top, and keyboard and screen-reader users land in it (not back on the sidebar link).
  const mainRef = useRef<HTMLElement>(null);
  const firstScreen = useRef(true);
  useEffect(() => {
    document.title = `${TITLES[route.screen]} · Dockhand`;
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    mainRef.current?.scrollTo({ top: 0 });
    mainRef.current?.focus({ preventScroll: true });
  }, [route.screen]);

  useEffect(() => store.client.on('app.navigate', ({ screen }) => navigate(screen)), [store]);

  // Ctrl/Cmd+R re-runs the audit (not a page reload); Ctrl/Cmd+1..5 switch screens.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      if (e.key === 'r' || e.key === 'R') {
        e.preventDefault();
        void store.runAudit();
        return;
      }
      const item = NAV.find((n) => n.shortcut === e.key);
      if (item) {
        e.preventDefault();
        navigate(item.screen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <Logo />
          <span>Dockhand</span>
        </div>
        <ul>
          {NAV.map(({ screen, label, Icon, shortcut }) => (
            <li key={screen}>
              <a
                href={hrefFor(screen)}
                aria-current={route.screen === screen ? 'page' : undefined}
                aria-keyshortcuts={`Control+${shortcut}`}
              >
                <Icon aria-hidden="true" />
                <span>{label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="content">
        <Header />
        <main id="main" tabIndex={-1} ref={mainRef} aria-label={TITLES[route.screen]}>
          {connection === 'closed' && (
            <p className="notice" role="status">
              The live connection to dockhand serve dropped; reconnecting… Progress updates resume when it is back.
            </p>
          )}
          {error && (
            <Banner guidance={error} onRerun={() => void store.runAudit()} rerunning={running} onDismiss={() => store.dismissError()} />
          )}
          {!loaded ? (
            <p className="loading" role="status">
              <span className="spinner" aria-hidden="true" /> Reading the settings and the last audit…
            </p>
          ) : route.screen === 'overview' ? (
            <Overview />
          ) : route.screen === 'findings' ? (
            <Findings params={route.params} />
          ) : route.screen === 'history' ? (
            <HistoryScreen />
          ) : route.screen === 'disk' ? (
            <DiskScreen />
          ) : (
            <SettingsScreen />
          )}
        </main>
      </div>
    </div>
  );
}
