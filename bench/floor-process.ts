// The API floor as its own process (`node --import tsx bench/floor-process.ts SOCKET`): what any tool must at least do,
// started cold like `dockhand` is. Prints the in-process time of the calls.
import { apiFloor } from './engine-floor';

const socket = process.argv[2];
if (!socket) throw new Error('usage: floor-process.ts SOCKET');
void apiFloor(socket).then((ms) => process.stdout.write(`${ms}\n`));
