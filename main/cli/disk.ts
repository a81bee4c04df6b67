import { type Command, Option } from 'commander';
import { diskReport } from '../prune/disk-report';
import { renderDiskText } from '../prune/render';
import { measureDataRoot, takeSnapshot } from '../prune/snapshot';
import { emit, jsonText } from './output';
import { addEndpointOptions, withEngine } from './prune-engine';

export function registerDiskCommand(program: Command): void {
  addEndpointOptions(program.command('disk').description('Docker disk usage by type (images, containers, volumes, build cache, container logs), each byte once'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--pretty', 'indent JSON output')
    .action(async (opts) => {
      const report = await withEngine(opts, 'measure disk usage', async (api, endpoint, host) => {
        const snapshot = await takeSnapshot(api, host, endpoint, opts.timeout, { logs: 'all', layers: false });
        const dataRoot = await measureDataRoot(host, endpoint, snapshot.info, opts.timeout);
        return diskReport(snapshot, dataRoot, new Date());
      });
      await emit(opts.format === 'json' ? jsonText(report, opts.output, opts.pretty) : renderDiskText(report), opts.output);
    });
}
