import path from 'node:path';
import { loadConfig } from '../config.js';
import { resolveClasspath, javaMajorVersion } from '../graph/embedded.js';

/** `npm run neo4j:classpath`: fetches the embedded Neo4j jars ahead of time (CI, Docker-less installs). */
const config = loadConfig();
const java = javaMajorVersion();
if (java === undefined || java < 17) {
  console.error(`Java 17+ is needed for the embedded Neo4j (found: ${java ?? 'none'}).`);
  process.exit(1);
}
const started = Date.now();
const cp = resolveClasspath(path.dirname(config.neo4j.embedded.dataDir), (m) => console.log(m));
console.log(
  `Embedded Neo4j classpath ready: ${cp.split(path.delimiter).length} jars (${Date.now() - started} ms)`,
);
