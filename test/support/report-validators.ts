import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

let sarifValidator: ValidateFunction | undefined;

/**
 * Validates a SARIF log against the official OASIS SARIF 2.1.0 schema (errata 01, vendored in test/fixtures/sarif; a
 * draft-04 schema, hence ajv-draft-04). Returns the errors, none when valid.
 */
export function sarifErrors(log: unknown): string[] {
  if (!sarifValidator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(JSON.parse(readFileSync(path.join(FIXTURES, 'sarif/sarif-schema-2.1.0.json'), 'utf8')));
  }
  return sarifValidator(log) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Validates JUnit XML against Jenkins' JUnit schema (the xunit plugin's junit-10.xsd, vendored in test/fixtures/junit)
 * with libxml2's own XSD validator, compiled to WebAssembly (libxml2-wasm): what `xmllint --schema` does, with no
 * system package to install. Returns the parsed document for further questions; throws with libxml2's messages.
 */
export function parseValidJunit(xml: string): XmlDocument {
  const xsd = XmlDocument.fromString(readFileSync(path.join(FIXTURES, 'junit/jenkins-junit-10.xsd'), 'utf8'));
  const validator = XsdValidator.fromDoc(xsd);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
  } finally {
    validator.dispose();
    xsd.dispose();
  }
  return doc;
}
