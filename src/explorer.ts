import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from './logger.js';

const CYTOSCAPE_STYLE_HASH = 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8=';

/**
 * Serves the built graph explorer (web/, built by `npm run build` into dist/web) at `/`. The page talks
 * only to this server's /graphql, so its Content-Security-Policy allows nothing else: no inline script,
 * no third-party origin, no framing, and no referrer leaves the investigator's browser.
 */
export function explorerRouter(dir: string | null, logger: Logger): express.Router {
  const router = express.Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Cytoscape.js adds one fixed <style> rule (`.__________cytoscape_container { position: relative; }`);
          // its hash allows exactly that text and no other inline style.
          styleSrc: ["'self'", `'${CYTOSCAPE_STYLE_HASH}'`],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      // TLS is terminated in front of this server when there is any; HSTS belongs there.
      strictTransportSecurity: false,
    }),
  );
  const index = dir ? path.join(dir, 'index.html') : null;
  if (!dir || !index || !existsSync(index)) {
    if (dir) logger.warn({ dir }, 'the graph explorer is not built (run `npm run build`); / answers 503');
    router.get('/', (_req, res) => {
      res
        .status(dir ? 503 : 404)
        .type('text/plain')
        .send(
          dir
            ? 'The graph explorer has not been built. Run `npm run build` (npm start does it), then reload. The API is at /graphql.'
            : 'The graph explorer is turned off on this server (EXPLORER_DIR=off). The API is at /graphql.',
        );
    });
    return router;
  }
  router.use(
    express.static(dir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders(res, file) {
        // Vite names assets by content hash: they never change under the same name.
        if (file.includes(`${path.sep}assets${path.sep}`))
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        else res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  return router;
}
