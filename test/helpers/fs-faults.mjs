// Loaded into rxnn with --import (see faultyEnv in run-files.ts): simulates a full disk and records
// folder fsyncs, where a test cannot mount a small file system. Node's file functions are replaced on
// the builtin module and synced to its ESM exports, so rxnn's own `import { open } from 'node:fs/promises'`
// sees them.
import { appendFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const full = process.env.RXNN_TEST_ENOSPC; // writes to files whose path contains this fail with ENOSPC
const syncLog = process.env.RXNN_TEST_SYNC_LOG; // folders fsynced are appended to this file

const noSpace = async () => {
  const error = new Error('ENOSPC: no space left on device, write');
  Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write' });
  throw error;
};

const open = fsp.open;
fsp.open = async function faultyOpen(path, flags, mode) {
  const handle = await open.call(this, path, flags, mode);
  const name = String(path);
  if (full !== undefined && name.includes(full) && /[wa]/.test(String(flags))) {
    handle.writeFile = noSpace;
    handle.write = noSpace;
  }
  if (syncLog !== undefined) {
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      if ((await handle.stat()).isDirectory()) appendFileSync(syncLog, `${name}\n`);
      return sync();
    };
  }
  return handle;
};
syncBuiltinESMExports();
