/**
 * daemon.json variants for the pre-flight oracle: each is started with a real dockerd and the pre-flight's willStart
 * must match what dockerd did. `flags` are extra dockerd flags on top of the harness's own
 * (--data-root, --exec-root, --pidfile, -H unix://…, --config-file).
 */
export interface OracleVariant {
  name: string;
  /** The file's bytes: text (written as UTF-8) or raw bytes for encoding cases. */
  text: string | Buffer;
  flags?: string[];
  /** What we expect dockerd to do on 20.10; the test asserts the pre-flight agrees with dockerd, not with this. */
  expectStart: boolean;
}

export const ORACLE_VARIANTS: OracleVariant[] = [
  // valid
  { name: 'empty object', text: '{}', expectStart: true },
  { name: 'rotation, live-restore, icc', text: '{\n  "log-driver": "json-file",\n  "log-opts": {"max-size": "10m", "max-file": "3"},\n  "live-restore": true,\n  "icc": false\n}\n', expectStart: true },
  { name: 'registries and dns', text: '{"insecure-registries": ["reg.local:5000"], "dns": ["10.0.0.2", "1.1.1.1"], "registry-mirrors": ["https://mirror.example.com"]}', expectStart: true },
  { name: 'null value leaves the default', text: '{"debug": null}', expectStart: true },
  { name: 'duplicate key (last wins)', text: '{"debug": true, "debug": false}', expectStart: true },
  { name: 'flag name used as key is ignored', text: '{"insecure-registry": ["reg.local:5000"]}', expectStart: true },
  { name: 'null top level', text: 'null', expectStart: true },
  { name: 'local log driver', text: '{"log-driver": "local", "log-opts": {"max-size": "20m"}}', expectStart: true },
  { name: 'labels and default-address-pools', text: '{"labels": ["env=ci"], "default-address-pools": [{"base": "10.99.0.0/16", "size": 24}]}', expectStart: true },
  // malformed
  { name: 'empty file', text: '', expectStart: false },
  { name: 'whitespace only', text: '  \n\t\n', expectStart: false },
  { name: 'UTF-8 BOM', text: '\uFEFF{"debug": true}', expectStart: false },
  { name: 'trailing comma', text: '{\n  "debug": true,\n}\n', expectStart: false },
  { name: 'comment', text: '{\n  // enable debug\n  "debug": true\n}\n', expectStart: false },
  { name: 'single quotes', text: "{'debug': true}", expectStart: false },
  { name: 'array top level', text: '[{"debug": true}]', expectStart: false },
  { name: 'string top level', text: '"debug"', expectStart: false },
  { name: 'unterminated object', text: '{"debug": true', expectStart: false },
  { name: 'trailing data after the object', text: '{"debug": false} trailing', expectStart: true },
  { name: 'invalid UTF-8 byte in a value', text: Buffer.concat([Buffer.from('{"labels": ["owner=caf'), Buffer.from([0xe9]), Buffer.from('"]}')]), expectStart: true },
  { name: 'UTF-16 with BOM', text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"debug": false}', 'utf16le')]), expectStart: false },
  { name: 'log-level WARNING (logrus, any case)', text: '{"log-level": "WARNING"}', expectStart: true },
  { name: 'max-download-attempts 0', text: '{"max-download-attempts": 0}', expectStart: false },
  // unknown keys
  { name: 'typo log-driverr', text: '{"log-driverr": "json-file"}', expectStart: false },
  { name: 'wrong case Debug', text: '{"Debug": true}', expectStart: false },
  { name: 'proxies before 23.0', text: '{"proxies": {"http-proxy": "http://proxy:3128"}}', expectStart: false },
  { name: 'struct tag without flag (resolv-conf)', text: '{"resolv-conf": "/etc/resolv.conf"}', expectStart: false },
  // wrong types
  { name: 'boolean as string', text: '{"live-restore": "true"}', expectStart: false },
  { name: 'log-opts number value', text: '{"log-opts": {"max-size": "10m", "max-file": 3}}', expectStart: false },
  { name: 'integer as string', text: '{"max-concurrent-downloads": "3"}', expectStart: false },
  { name: 'list as string', text: '{"dns": "8.8.8.8"}', expectStart: false },
  { name: 'fractional integer', text: '{"mtu": 1500.5}', expectStart: false },
  // invalid values
  { name: 'log-level verbose', text: '{"log-level": "verbose"}', expectStart: false },
  { name: 'dns not an IP', text: '{"dns": ["dns.example.com"]}', expectStart: false },
  { name: "max-size not a size (checked at container create)", text: '{"log-opts": {"max-size": "10 parsecs"}}', expectStart: true },
  { name: 'negative downloads', text: '{"max-concurrent-downloads": -1}', expectStart: false },
  { name: 'label without =', text: '{"labels": ["nokeyvalue"]}', expectStart: false },
  { name: 'unknown log opt', text: '{"log-opts": {"max-sise": "10m"}}', expectStart: false },
  { name: 'seccomp-profile unconfined before 23.0', text: '{"seccomp-profile": "unconfined"}', expectStart: false },
  { name: 'mirror not a URL', text: '{"registry-mirrors": ["mirror.example.com"]}', expectStart: false },
  { name: "validate key before 23.0", text: '{"validate": true}', expectStart: false },
  { name: "unknown object key with known children is ignored", text: '{"tls-options": {"debug": true}}', expectStart: true },
  { name: "windows service flag name on linux", text: '{"service-name": "docker"}', expectStart: false },
  // flag/file conflicts (the harness passes --data-root and -H)
  { name: 'data-root in file and flag', text: '{"data-root": "/tmp/elsewhere"}', expectStart: false },
  { name: 'hosts in file and -H', text: '{"hosts": ["unix:///tmp/other.sock"]}', expectStart: false },
  { name: 'debug in file and --debug', text: '{"debug": true}', flags: ['--debug'], expectStart: false },
  { name: 'same value still conflicts', text: '{"log-level": "info"}', flags: ['--log-level=info'], expectStart: false },
];
