import type { DownloadEvent } from '../sources/idx-source.js';

/**
 * Download progress for people, on stderr: on a terminal a byte counter
 * redrawn at most 10 times a second; otherwise a line when each download
 * starts, retries and ends.
 */
export function createDownloadProgress(stream: NodeJS.WriteStream): (event: DownloadEvent) => void {
  const live = stream.isTTY === true;
  let lastDraw = 0;
  return (event) => {
    switch (event.kind) {
      case 'start':
        stream.write(`rxnn: downloading ${event.name}${event.total === undefined ? '' : ` (${megabytes(event.total)})`}\n`);
        return;
      case 'progress': {
        if (!live) return;
        const now = performance.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        const total = event.total === undefined ? '' : ` of ${megabytes(event.total)}`;
        stream.write(`\r\x1b[2K  ${megabytes(event.received)}${total}`);
        return;
      }
      case 'retry':
        if (live) stream.write('\r\x1b[2K');
        stream.write(`rxnn: ${event.reason}; retry ${event.attempt} in ${event.delayMs / 1000} s\n`);
        return;
      case 'done':
        if (live) stream.write('\r\x1b[2K');
        stream.write(`rxnn: downloaded ${event.name} (${megabytes(event.bytes)}) into ${event.path}\n`);
        return;
    }
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
