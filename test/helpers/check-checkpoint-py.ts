import { execFileSync } from 'node:child_process';

/** Whether python3 with numpy is here to run scripts/check_checkpoint.py. */
export function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What scripts/check_checkpoint.py prints for a checkpoint and an IDX test set: {epoch, iteration, test_acc}. */
export function checkCheckpointPy(checkpoint: string, images: string, labels: string): { epoch: number; iteration: number; test_acc: number } {
  const script = new URL('../../scripts/check_checkpoint.py', import.meta.url).pathname;
  return JSON.parse(execFileSync('python3', [script, checkpoint, images, labels], { encoding: 'utf8' }));
}
