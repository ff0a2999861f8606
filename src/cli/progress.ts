/**
 * A progress bar for long work, on standard error: redrawn in place on a terminal,
 * a line every tenth of the way otherwise (logs, CI), nothing for tiny jobs.
 */
import type { Writable } from 'node:stream';

export function progressBar(out: Writable & { isTTY?: boolean }) {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(label: string, done: number, total: number) {
      if (total < 20) return;
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        out.write(
          `\r${label.padEnd(13)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
        );
        drawn = true;
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        out.write(`${label}: ${done}/${total}\n`);
      }
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}
