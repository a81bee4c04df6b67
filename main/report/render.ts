import type { Report } from '../../shared/report';

/** Every output format of `dockhand audit`; each is derived from the one JSON Report. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** JSON as the CLI writes it (compact or indented): for json and sarif. */
  json: (value: unknown) => string;
  color: boolean;
  verbose?: boolean;
  /** text: only failed checks and warnings. */
  attention?: boolean;
}

/** Each format's module is loaded when it is asked for: an audit loads only the one it writes. */
export async function renderReport(report: Report, format: ReportFormat, options: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return options.json(report);
    case 'sarif':
      return options.json((await import('./sarif')).renderSarif(report));
    case 'junit':
      return (await import('./junit')).renderJunit(report);
    case 'html':
      return (await import('./html')).renderHtml(report);
    case 'markdown':
      return (await import('./markdown')).renderMarkdown(report);
    case 'text':
      return (await import('./text')).renderText(report, { color: options.color, verbose: options.verbose, attention: options.attention });
  }
}
