import type { ReportHead } from '../../../shared/api';
import type { Finding } from '../../../shared/finding';
import type { Report } from '../../../shared/report';
import type { ApiClient } from '../api/client';

/** Findings per call: ~600 kB of JSON, decoded in ~10 ms, where the whole report at once was one 100 ms task. */
const FINDINGS_PAGE = 1000;

/** A report replaced mid-read is read again; audits finishing back to back this often are not worth chasing further. */
const ATTEMPTS = 3;

/**
 * The last report as the server keeps it, its findings read a page per call: each page is decoded and checked in a
 * task of its own, so the page stays responsive while ten thousand findings arrive. null before the first audit.
 */
export async function loadLastReport(client: ApiClient): Promise<Report | null> {
  for (let attempt = 1; ; attempt++) {
    const head = await client.call('report.head', {});
    if (!head) return null;
    const findings = await loadFindings(client, head);
    if (findings) {
      const { findingCount: _count, ...report } = head;
      return { ...report, findings };
    }
    if (attempt === ATTEMPTS)
      throw new Error(
        `the last report changed ${ATTEMPTS} times while it was being read (audits finishing one after another): reload to try again`,
      );
  }
}

/**
 * The head's findings, or null when a newer report replaced it while they were read. Every page is asked for at once:
 * one after another, the round trips added ~400 ms to opening ten thousand findings; each answer is still decoded
 * and checked in a task of its own as it arrives.
 */
async function loadFindings(client: ApiClient, head: ReportHead): Promise<Finding[] | null> {
  const offsets = Array.from({ length: Math.ceil(head.findingCount / FINDINGS_PAGE) }, (_, i) => i * FINDINGS_PAGE);
  const pages = await Promise.all(offsets.map((offset) => client.call('report.findings', { offset, limit: FINDINGS_PAGE })));
  const findings: Finding[] = [];
  for (const page of pages) {
    if (!page || page.generatedAt !== head.generatedAt || page.total !== head.findingCount) return null;
    for (const f of page.findings) findings.push(f);
  }
  return findings.length === head.findingCount ? findings : null;
}
