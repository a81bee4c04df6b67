// `npm run generate`: writes the files derived from the code — docs/schema/*.json (from shared/) and docs/checks.md
// (from the check registry). Tests fail when they are out of date.
import { fixIds } from '../main/fix/builders';
import { writeFileSync } from 'node:fs';
import { CHECKS } from '../main/checks/registry';
import { renderCatalogue } from '../main/report/catalogue';
import { publishedSchemas } from '../shared/schemas';

for (const [name, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(`docs/schema/${name}`, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schema/${name}`);
}
writeFileSync('docs/checks.md', renderCatalogue(CHECKS, new Set(fixIds())));
console.log(`wrote docs/checks.md (${CHECKS.length} checks)`);
