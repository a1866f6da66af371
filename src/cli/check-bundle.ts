import { BundleError, loadBundleFile } from '../io/bundle/resolve.js';

/** `npx tsx src/cli/check-bundle.ts FILE`: validates a bundle without a database and summarises it. */
const file = process.argv[2];
if (!file) {
  console.error('usage: check-bundle FILE.yaml');
  process.exit(2);
}
try {
  const b = await loadBundleFile(file);
  console.log(
    `OK: ${b.sources.length} sources, ${b.entities.length} entities, ${b.claims.length} claims, ` +
      `${b.excerpts.length} excerpts, ${b.figures.length} figures, ${b.relations.length} relations`,
  );
} catch (err) {
  console.error(err instanceof BundleError ? err.message : err);
  process.exit(1);
}
