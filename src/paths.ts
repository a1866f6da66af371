import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, found from this file whether it runs from src/ (tsx) or dist/src/. */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'schema'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root (package.json beside schema/)');
    dir = parent;
  }
}

export const projectRoot = findProjectRoot();
export const schemaDir = path.join(projectRoot, 'schema');
export const neo4jDir = path.join(projectRoot, 'neo4j');
export const dataDir = path.join(projectRoot, 'data');
