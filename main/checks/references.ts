import type { Reference } from '../../shared/finding';

/** CIS Docker Benchmark v1.6.0, the version docker-bench-security follows (docs/docker-bench-map.md). */
export function cis(id: string): Reference {
  return { title: 'CIS Docker Benchmark v1.6.0', id, url: 'https://www.cisecurity.org/benchmark/docker' };
}

export function docs(title: string, url: string): Reference {
  return { title, url };
}

export const DAEMON_JSON_DOCS = docs(
  'dockerd reference: daemon configuration file',
  'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file',
);
