import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffStats, parseUnifiedDiff } from './diff';

test('a unified diff is split into headers, hunks, added, removed and context lines, markers kept', () => {
  const diff =
    'Index: /etc/docker/daemon.json\n===\n--- a/etc/docker/daemon.json\n+++ b/etc/docker/daemon.json\n@@ -1,3 +1,4 @@\n {\n-    "debug": true\n+    "debug": true,\n+    "live-restore": true\n }\n';
  const lines = parseUnifiedDiff(diff);
  assert.deepEqual(
    lines.map((l) => l.kind),
    ['header', 'header', 'header', 'header', 'hunk', 'context', 'remove', 'add', 'add', 'context'],
  );
  assert.equal(lines[6]!.text, '-    "debug": true');
  assert.deepEqual(diffStats(lines), { added: 2, removed: 1 });
});
