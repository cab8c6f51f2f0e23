// An in-process NORA with [[tenants]] set (as loaded from nora.toml) and a clock the test moves.
import { afterEach } from 'vitest';
import type { PublishedEvent } from '../../../src/lib/events/bus.js';
import type { TenantSettings } from '../../../src/lib/tenants/tenant-checks.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

export interface TenantApp extends TestApp {
  clock: { now: number };
  events: PublishedEvent[];
}

export const tenant = (name: string, extra: Partial<TenantSettings> = {}): TenantSettings => ({
  name, storage_quota: 0, rate_limit: { push: 0, pull: 0 }, members: [], namespaces: [], ...extra,
});

export async function tenantApp(tenants: TenantSettings[], options: { settings?: Record<string, string | number | boolean> } = {}): Promise<TenantApp> {
  const clock = { now: Date.parse('2026-12-06T10:00:00Z') };
  const app = await buildTestApp({ settings: { 'npm.upstream': '', ...options.settings }, mutate: (config) => { config.tenants = tenants; }, now: () => clock.now });
  const events: PublishedEvent[] = [];
  app.services.events.subscribe((e) => { if (e.type !== 'ArtifactPulled') events.push(e); });
  return { ...app, clock, events };
}

/** A `start` for one test file: every app it starts is closed after each test. */
export function tenantApps(): (...args: Parameters<typeof tenantApp>) => Promise<TenantApp> {
  let apps: TenantApp[] = [];
  afterEach(async () => { for (const app of apps) await app.close(); apps = []; });
  return async (...args) => {
    const app = await tenantApp(...args);
    apps.push(app);
    return app;
  };
}
