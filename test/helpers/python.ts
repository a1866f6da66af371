import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

/**
 * The field's own tools, run on our exports: Python scripts of test/interop/ in the venvs .ci/python-venvs
 * makes from test/interop/requirements-<venv>.txt (followthemoney 3.8 and 4.x, and prov, networkx, igraph and
 * pandas in `tools`). No skipping: a missing venv fails the test with the command that makes it.
 */
export type Venv = 'ftm3' | 'ftm4' | 'tools';

export interface PythonRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The venv's interpreter, or an error naming the command that prepares it. */
export function pythonOf(venv: Venv): string {
  const bin = path.join(projectRoot, '.venv', `interop-${venv}`, 'bin', 'python');
  if (!existsSync(bin)) {
    throw new Error(`No Python venv ${venv} at ${bin}: run bash .ci/python-venvs (npm test runs it first)`);
  }
  return bin;
}

/** Runs test/interop/<script> with args (and optional stdin) in a venv; never throws on a non-zero exit. */
export function runPython(
  venv: Venv,
  script: string,
  args: readonly string[] = [],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<PythonRun> {
  const bin = pythonOf(venv);
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      [path.join(projectRoot, 'test/interop', script), ...args],
      { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, cwd: projectRoot },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs a script that prints one JSON document; fails with its stderr when it exits non-zero. */
export async function pythonJson<T>(
  venv: Venv,
  script: string,
  args: readonly string[] = [],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<T> {
  const r = await runPython(venv, script, args, opts);
  if (r.code !== 0) throw new Error(`${script} (${venv}) exited ${String(r.code)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
