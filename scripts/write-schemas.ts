// `npm run schema`: regenerates docs/schema/*.json from shared/ (a test fails when they are out of date).
import { writeFileSync } from 'node:fs';
import { publishedSchemas } from '../shared/schemas';

for (const [name, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(`docs/schema/${name}`, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schema/${name}`);
}
