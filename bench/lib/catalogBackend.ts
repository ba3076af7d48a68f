// The backend the catalog-scale benchmark (bench/catalog-scale.ts) measures, started by it as a child process
// with a generated config only: the real services of @backstage/backend-defaults (a static token for the
// benchmark's reads, SQLite or PostgreSQL), the real catalog and its processing loop, the events backend, and
// the PrivateLink catalog module that syncs from the simulated EC2.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@privatelink-backstage/plugin-catalog-backend-module-privatelink'));
backend.start();
