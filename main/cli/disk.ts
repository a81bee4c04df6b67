import { type Command, Option } from 'commander';
import { measureDisk } from '../prune/measure';
import { renderDiskText } from '../prune/render';
import { emit, jsonText } from './output';
import { addEndpointOptions, withEngine } from './prune-engine';

export function registerDiskCommand(program: Command): void {
  addEndpointOptions(
    program
      .command('disk')
      .description('Docker disk usage by type (images, containers, volumes, build cache, container logs), each byte once'),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--pretty', 'indent JSON output')
    .action(async (opts) => {
      const report = await withEngine(opts, 'measure disk usage', (api, endpoint, host) => measureDisk(api, endpoint, host, opts.timeout));
      await emit(opts.format === 'json' ? jsonText(report, opts.output, opts.pretty) : renderDiskText(report), opts.output);
    });
}
