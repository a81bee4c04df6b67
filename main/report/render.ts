import type { Report } from '../../shared/report';
import { renderHtml } from './html';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';
import { renderText } from './text';

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

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return options.json(report);
    case 'sarif':
      return options.json(renderSarif(report));
    case 'junit':
      return renderJunit(report);
    case 'html':
      return renderHtml(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'text':
      return renderText(report, { color: options.color, verbose: options.verbose, attention: options.attention });
  }
}
