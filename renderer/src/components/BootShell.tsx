import { Logo } from './Logo';

/**
 * The shell as it looks before the screens' code has loaded (index.html holds the same markup for the moment before
 * any script runs): the first open shows the app's frame and a progress state at once, never a blank page.
 */
export function BootShell() {
  return (
    <div className="shell" aria-busy="true">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <Logo />
          <span>Dockhand</span>
        </div>
      </nav>
      <div className="content">
        <header className="topbar">
          <div className="topbar-host">
            <span className="topbar-hostname">Docker host</span>
          </div>
        </header>
        <main id="main">
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Starting Dockhand…
          </p>
        </main>
      </div>
    </div>
  );
}
