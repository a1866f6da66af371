import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { pythonJson, type Venv } from '../helpers/python.js';

/**
 * The interop tests judge our exports with the field's own libraries: each venv .ci/python-venvs made must
 * hold exactly the versions its requirements file pins (a venv left from an older pin would judge with
 * another library than the one named in the README).
 */
const LIBRARIES = ['followthemoney', 'prov', 'networkx', 'igraph', 'pandas'];

function pins(venv: Venv): Record<string, string> {
  const text = readFileSync(path.join(projectRoot, `test/interop/requirements-${venv}.txt`), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_.-]+)==(\S+)$/.exec(line.trim());
    if (m && LIBRARIES.includes(m[1]!.toLowerCase())) out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

describe('the Python venvs of the interop tests', () => {
  it.each([
    ['ftm3', { followthemoney: '3.8.5', networkx: '3.4.2' }],
    ['ftm4', { followthemoney: '4.11.2', networkx: '3.6.1' }],
    ['tools', { prov: '3.2.3', networkx: '3.6.1', igraph: '1.0.0', pandas: '3.1.1' }],
  ] as const)('%s holds the pinned libraries', async (venv, expected) => {
    expect(pins(venv)).toEqual(expected);
    const installed = await pythonJson<Record<string, string>>(venv, 'versions.py');
    expect(installed).toMatchObject(expected);
  });
});
